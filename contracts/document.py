"""Render the supply contract (供用电合同) of an application as PDF with WeasyPrint."""
from __future__ import annotations

from django.utils import timezone

from applications.models import Application
from core import pdf


def contract_number(application: Application) -> str:
    return f"HT{application.number}"


def contract_pdf(application: Application, *, number: str, issued_at) -> bytes:
    scheme = application.schemes.filter(chosen=True).first()
    return pdf.render("contracts/contract_pdf.html", {
        "application": application,
        "number": number,
        "issued_on": timezone.localtime(issued_at).date(),
        "scheme": scheme,
        "fees": list(application.fees.all()),
        "utility": application.handling_org,
    })
