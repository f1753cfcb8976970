"""The filing certificate (备案证明) of a 告知承诺 / 备案 works, as PDF to post on site."""
from __future__ import annotations

from django.utils import timezone

from approvals.labels import label
from approvals.models import ApprovalRequest
from core import pdf

DOSSIER_NAMES = {"construction_plan": "施工方案", "traffic_plan": "交通疏解方案", "road_works_agreement": "涉路工程建设协议"}


def filing_certificate_pdf(approval: ApprovalRequest) -> bytes:
    return pdf.render("approvals/filing_pdf.html", {
        "approval": approval,
        "application": approval.application,
        "filed_on": timezone.localtime(approval.filed_at).date(),
        "routes": [label("route", r) for r in approval.routes],
        "crossings": [label("crossing", c) for c in approval.crossings],
        "dossier": [(DOSSIER_NAMES.get(d.doc_type, d.doc_type), d.sha256[:16]) for d in approval.dossier.all()],
        "departments": [case.organisation.name for case in approval.cases.select_related("organisation")],
    })
