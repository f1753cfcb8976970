"""Read-only admin: payments change only through payments.actions."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin as ReadOnly
from payments.models import Invoice, Payment, Receipt


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["pk", "application", "fee", "amount", "provider", "provider_ref", "state", "paid_at"]
    list_filter = ["state", "provider"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnly):
    list_display = ["number", "payment", "issued_at"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly):
    list_display = ["number", "buyer_name", "amount", "tax_rate", "issued_at"]
    search_fields = ["number", "buyer_name"]
