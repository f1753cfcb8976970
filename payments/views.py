"""Pages to pay an application's fees and to read or download receipts and invoices."""
from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import access
from core import pdf
from core.errors import DomainError, NotFound
from payments import actions, queries
from payments.providers import PROVIDERS


def _not_found(exc: NotFound):
    return Http404(exc.message)


def _fees_page(request, application_id, *, error: str = "", status: int = 200):
    try:
        application, rows = queries.application_payments(request.user, application_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    return render(request, "payments/fees.html", {
        "application": application, "rows": rows, "error": error,
        "can_pay": application.applicant_user_id == request.user.pk and access.can(request.user, "payment.pay"),
        # A fresh key per rendered form: a double click or a resubmitted form repeats the same key.
        "idempotency_key": uuid.uuid4().hex, "providers": PROVIDERS,
    }, status=status)


@login_required
def fees_page(request, application_id: int):
    return _fees_page(request, application_id)


@login_required
@require_POST
def fee_pay(request, application_id: int, fee_id: int):
    try:
        fee = queries.fee_for(request.user, application_id, fee_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    try:
        payment, _ = actions.fee_pay(fee=fee, by=request.user,
                                     idempotency_key=request.POST.get("idempotency_key", ""),
                                     provider=request.POST.get("provider", "local"))
    except DomainError as exc:
        return _fees_page(request, application_id, error=exc.for_people, status=exc.status)
    if payment.state == payment.State.PENDING:
        return _fees_page(request, application_id, error="这笔费用正在支付中，请稍后刷新本页", status=409)
    if payment.state != payment.State.SUCCEEDED:
        return _fees_page(request, application_id, error=f"支付未成功：{payment.failure}", status=409)
    return redirect("payments:payment", application_id=application_id, payment_id=payment.pk)


@login_required
def payment_page(request, application_id: int, payment_id: int):
    try:
        payment = queries.payment_for(request.user, application_id, payment_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    return render(request, "payments/payment.html", {"payment": payment, "application": payment.application})


@login_required
def document_pdf(request, application_id: int, payment_id: int, kind: str):
    if kind not in {"receipt", "invoice"}:
        raise Http404("receipt.pdf or invoice.pdf")
    try:
        payment = queries.payment_for(request.user, application_id, payment_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    document = pdf.render("payments/document_pdf.html", {"payment": payment, "kind": kind,
                                                         "application": payment.application})
    number = payment.invoice.number if kind == "invoice" else payment.receipt.number
    return pdf.response(document, filename=f"{kind}-{number}.pdf", download=True)
