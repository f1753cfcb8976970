"""Reads of payments: always through the application the user may see."""
from __future__ import annotations

from accounts import access
from accounts.models import User
from applications.models import Application, Fee
from applications.queries import application_for
from core.errors import NotFound
from payments.models import Payment


def application_payments(user: User, application_id) -> tuple[Application, list[tuple[Fee, Payment | None]]]:
    application = application_for(user, application_id)
    access.require(user, "payment.view")
    paid = {p.fee_id: p for p in Payment.objects.filter(application=application, state=Payment.State.SUCCEEDED)
            .select_related("receipt", "invoice")}
    return application, [(fee, paid.get(fee.pk)) for fee in application.fees.all()]


def fee_for(user: User, application_id, fee_id) -> Fee:
    application = application_for(user, application_id)
    fee = application.fees.filter(pk=fee_id).first()
    if fee is None:
        raise NotFound(f"未找到收费项目 {fee_id}", fields={"fee": "未找到"})
    return fee


def payment_for(user: User, application_id, payment_id) -> Payment:
    application = application_for(user, application_id)
    access.require(user, "payment.view")
    payment = (Payment.objects.filter(application=application, pk=payment_id, state=Payment.State.SUCCEEDED)
               .select_related("receipt", "invoice", "fee", "application").first())
    if payment is None:
        raise NotFound(f"未找到支付记录 {payment_id}", fields={"payment": "未找到"})
    return payment
