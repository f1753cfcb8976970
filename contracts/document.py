"""Render the supply contract (供用电合同) of an application as PDF with WeasyPrint."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from applications.models import Application


def contract_number(application: Application) -> str:
    return f"HT{application.number}"


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which only PDF paths need.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def contract_pdf(application: Application, *, number: str, issued_at) -> bytes:
    scheme = application.schemes.filter(chosen=True).first()
    html = render_to_string("contracts/contract_pdf.html", {
        "application": application,
        "number": number,
        "issued_on": timezone.localtime(issued_at).date(),
        "scheme": scheme,
        "fees": list(application.fees.all()),
        "utility": application.handling_org,
    })
    return render_pdf(html)
