"""PDF documents in one place: contracts, receipts, invoices and filing certificates are all
rendered from a Django template by WeasyPrint and answered the same way (never cached, since
each one is about one applicant).

WeasyPrint needs Pango and a CJK font on the machine (`make system-deps`)."""
from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


def render(template: str, context: dict) -> bytes:
    """The PDF bytes of `template` rendered with `context`."""
    # Imported here: WeasyPrint loads Pango at import time, which only PDF paths need.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def response(pdf: bytes, *, filename: str, download: bool = False) -> HttpResponse:
    """Shown in the browser (inline) or saved (download); `no-store` either way."""
    answer = HttpResponse(bytes(pdf), content_type="application/pdf")
    answer["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{filename}"'
    answer["Cache-Control"] = "no-store, private"
    return answer
