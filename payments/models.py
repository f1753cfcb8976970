"""Online payment of an application's fees, with a receipt and an electronic VAT invoice
record (电子发票) for every successful payment. Every change goes through payments.actions."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Payment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "支付中"
        SUCCEEDED = "succeeded", "已支付"
        FAILED = "failed", "支付失败"

    fee = models.ForeignKey("applications.Fee", on_delete=models.PROTECT, related_name="payments")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    provider = models.CharField(max_length=32)
    provider_ref = models.CharField(max_length=64, blank=True, default="")
    idempotency_key = models.CharField(max_length=128)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    failure = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A fee is paid at most once: one payment in flight or done; a failed one frees it.
            models.UniqueConstraint(fields=["fee"], condition=Q(state__in=["pending", "succeeded"]),
                                    name="fee_paid_once"),
            models.UniqueConstraint(fields=["payer", "idempotency_key"], name="payment_idempotency_once"),
            models.UniqueConstraint(fields=["provider", "provider_ref"], condition=~Q(provider_ref=""),
                                    name="provider_ref_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(condition=~Q(state="succeeded") | (Q(paid_at__isnull=False) & ~Q(provider_ref="")),
                                   name="succeeded_has_time_and_ref"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Receipt(models.Model):
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Invoice(models.Model):
    """电子发票 record: amounts are tax-inclusive, split at the configured VAT rate."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(max_length=20, unique=True, help_text="20 digits, like a 全电发票 number")
    seller_name = models.CharField(max_length=128)
    buyer_name = models.CharField(max_length=128)
    buyer_tax_id = models.CharField(max_length=18, blank=True, default="", help_text="统一社会信用代码; empty for a person")
    item = models.CharField(max_length=64)
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="价税合计")
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4)
    amount_excl_tax = models.DecimalField(max_digits=14, decimal_places=2)
    tax_amount = models.DecimalField(max_digits=14, decimal_places=2)
    issued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(tax_rate__gte=0) & Q(tax_rate__lt=1), name="invoice_rate_range"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
