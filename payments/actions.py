"""Paying fees online: keyword-only, atomic steps, each writing its event.

A payment is reserved (pending) in one transaction, charged at the provider outside any
transaction (a gateway call must not hold database locks), then completed with its receipt
and invoice in a second transaction. The database refuses a second live payment of a fee."""
from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications.models import Application, Fee, Status
from core import events
from core.bounds import NUL
from core.errors import Conflict, Forbidden, invalid
from payments.models import Invoice, Payment, Receipt
from payments.providers import DEFAULT_PROVIDER, PROVIDERS

CENT = Decimal("0.01")
# Closed without connection: nothing more is charged (energised files still settle their fees).
CLOSED_UNPAID = {Status.WITHDRAWN, Status.REJECTED}


def tax_rate() -> Decimal:
    rate = Decimal(str(settings.INVOICE_TAX_RATE))
    if not Decimal("0") <= rate < Decimal("1"):
        raise invalid("INVOICE_TAX_RATE", "a rate between 0 and 1, e.g. 0.13")
    return rate


def charge_key(payment: Payment) -> str:
    """The key the provider knows this payment's charge by: unique per payment row, and
    derivable from the row alone, so reconciliation can ask about it after a crash."""
    return f"{payment.pk}:{payment.created_at.timestamp():.6f}:{payment.idempotency_key}"


def _existing(*, fee: Fee, by: User, key: str) -> Payment | None:
    by_key = Payment.objects.filter(payer=by, idempotency_key=key).first()
    if by_key is not None:
        if by_key.fee_id != fee.pk:
            raise Conflict("该幂等键（Idempotency-Key）已用于另一笔费用", fields={"idempotency_key": "已用于另一笔费用"})
        return by_key
    return Payment.objects.filter(fee=fee, state__in=[Payment.State.PENDING, Payment.State.SUCCEEDED]).first()


def fee_pay(*, fee: Fee, by: User, idempotency_key: str, provider: str = DEFAULT_PROVIDER) -> tuple[Payment, bool]:
    """Pay one fee. Returns (payment, created); a repeat (same key, or a fee already paid)
    returns the first payment and charges nothing."""
    access.require(by, "payment.pay")
    application = fee.application
    if application.applicant_user_id != by.pk:
        raise Forbidden("只有本申请的申请人可以缴费", fields={"user": "不是本申请的申请人"})
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128 or NUL in key:
        raise invalid("idempotency_key", "必填，不超过 128 个字符")
    if provider not in PROVIDERS:
        raise invalid("provider", f"不支持的支付方式 {provider!r}")
    first = _existing(fee=fee, by=by, key=key)
    if first is not None:
        return first, False
    now = timezone.now()
    try:
        with transaction.atomic():
            # Locked in the order closing takes them (application, then fee): a withdrawal and a
            # payment racing each other end with either a cancelled fee or a paid one, never both.
            application = Application.objects.select_for_update().get(pk=application.pk)
            fee = Fee.objects.select_for_update().get(pk=fee.pk)
            if application.status in CLOSED_UNPAID:
                raise Conflict(f"{application.number} 已{application.get_status_display()}，费用不能再支付",
                               fields={"status": application.status}, code="closed")
            if fee.cancelled_at is not None:
                raise Conflict(f"费用“{fee.item}”已取消", fields={"fee": "已取消"}, code="closed")
            payment = Payment.objects.create(fee=fee, application=application, payer=by, amount=fee.amount,
                                             provider=provider, idempotency_key=key, created_at=now)
            events.record(actor=by, verb="payment.started", subject=application,
                          data={"payment": payment.pk, "fee": fee.pk, "amount": fee.amount, "provider": provider})
    except IntegrityError:
        # A concurrent request for the same fee or key won: answer with its payment.
        first = _existing(fee=fee, by=by, key=key)
        if first is None:
            raise
        return first, False
    charge = PROVIDERS[provider].charge(amount=payment.amount, description=f"{application.number} {fee.item}",
                                        idempotency_key=charge_key(payment))
    return payment_complete(payment=payment, succeeded=charge.succeeded, reference=charge.reference,
                            failure=charge.failure), True


def _lock(payment: Payment) -> Payment:
    """Lock the application before the payment, the order fee_pay and closing take: completing
    one payment while another tab waits on the application would otherwise deadlock on PostgreSQL
    (the completion's inserts take key-share locks on the application row)."""
    Application.objects.select_for_update().filter(pk=payment.application_id).first()
    return Payment.objects.select_for_update().select_related("fee", "application").get(pk=payment.pk)


def payment_complete(*, payment: Payment, succeeded: bool, reference: str, failure: str = "") -> Payment:
    """Record the provider's outcome; a success issues the receipt and the invoice record."""
    with transaction.atomic():
        payment = _lock(payment)
        if payment.state != Payment.State.PENDING:
            return payment
        now = timezone.now()
        application = payment.application
        if not succeeded:
            payment.state, payment.failure = Payment.State.FAILED, failure[:255] or "declined"
            payment.save(update_fields=["state", "failure"])
            events.record(actor=payment.payer, verb="payment.failed", subject=application,
                          data={"payment": payment.pk, "failure": payment.failure})
            return payment
        payment.state, payment.provider_ref, payment.paid_at = Payment.State.SUCCEEDED, reference, now
        payment.save(update_fields=["state", "provider_ref", "paid_at"])
        local = timezone.localtime(now)
        receipt = Receipt.objects.create(payment=payment, number=f"SK{local:%Y%m%d}{payment.pk:08d}", issued_at=now)
        rate = tax_rate()
        excl = (payment.amount / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        # 20 digits like a 全电发票: year, province code, a kind digit, then a sequence.
        invoice = Invoice.objects.create(
            payment=payment, number=f"{local:%y}{application.county.code[:2]}1{payment.pk:015d}",
            seller_name=application.handling_org.name, buyer_name=application.applicant_name,
            buyer_tax_id=application.uscc, item=payment.fee.item, amount=payment.amount, tax_rate=rate,
            amount_excl_tax=excl, tax_amount=payment.amount - excl, issued_at=now,
        )
        events.record(actor=payment.payer, verb="payment.succeeded", subject=application,
                      data={"payment": payment.pk, "fee": payment.fee_id, "amount": payment.amount,
                            "provider": payment.provider, "provider_ref": reference, "receipt": receipt.number,
                            "invoice": invoice.number})
    return payment


def fees_cancel_open(*, application: Application, by: User | None, now, reason: str) -> None:
    """The application closed without connection: every fee not paid nor being paid is
    cancelled, one event each. Runs inside the closing transaction (applications.closing)."""
    live = Payment.objects.filter(fee=OuterRef("pk"), state__in=[Payment.State.PENDING, Payment.State.SUCCEEDED])
    unpaid = (Fee.objects.select_for_update().filter(application=application, cancelled_at__isnull=True)
              .exclude(Exists(live)))
    for fee in unpaid:
        fee.cancelled_at = now
        fee.save(update_fields=["cancelled_at"])
        events.record(actor=by, verb="fee.cancelled", subject=application,
                      data={"fee": fee.pk, "item": fee.item, "amount": fee.amount, "reason": reason,
                            "status": application.status})


def payments_reconcile(*, older_than: timedelta | None = None) -> dict[str, int]:
    """Settle payments left pending (the process died between the charge and its completion):
    ask the provider about each one older than the timeout; complete it as the provider says,
    or release it (failed, so the fee can be paid again) when the provider never took it."""
    if older_than is None:
        older_than = timedelta(minutes=settings.PAYMENT_PENDING_TIMEOUT_MINUTES)
    cutoff = timezone.now() - older_than
    counts = {"succeeded": 0, "failed": 0, "released": 0, "unknown_provider": 0}
    stale = Payment.objects.filter(state=Payment.State.PENDING, created_at__lte=cutoff).order_by("pk")
    for payment in stale.iterator(chunk_size=200):
        provider = PROVIDERS.get(payment.provider)
        if provider is None:
            counts["unknown_provider"] += 1  # left for a person: nobody can say what happened
            continue
        outcome = provider.status(idempotency_key=charge_key(payment))
        if outcome is None:
            if payment_release(payment=payment).state == Payment.State.FAILED:
                counts["released"] += 1
            continue
        done = payment_complete(payment=payment, succeeded=outcome.succeeded, reference=outcome.reference,
                                failure=outcome.failure)
        if done.state != Payment.State.PENDING:
            counts["succeeded" if outcome.succeeded else "failed"] += 1
    return counts


def payment_release(*, payment: Payment) -> Payment:
    """The provider never took this charge: free the fee for a new payment."""
    with transaction.atomic():
        payment = _lock(payment)
        if payment.state != Payment.State.PENDING:
            return payment
        payment.state, payment.failure = Payment.State.FAILED, "超时未完成支付，已释放，可重新支付"
        payment.save(update_fields=["state", "failure"])
        events.record(actor="job:payments", verb="payment.released", subject=payment.application,
                      data={"payment": payment.pk, "fee": payment.fee_id, "started": payment.created_at})
    return payment
