"""Read-only admin: contracts change only through contracts.actions (signed records are evidence)."""
from django.contrib import admin

from contracts.models import Contract, Signature
from core.admin import ReadOnlyAdmin as ReadOnly


@admin.register(Contract)
class ContractAdmin(ReadOnly):
    list_display = ["number", "application", "state", "generated_at"]
    exclude = ["pdf"]
    search_fields = ["number"]


@admin.register(Signature)
class SignatureAdmin(ReadOnly):
    list_display = ["contract", "signer_name", "confirmed_at", "algorithm"]

