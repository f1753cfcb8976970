"""供用电合同: the contract document generated from an accepted application and the platform's
SM2 signature over the document, given after the applicant confirms with a one-time code (core.otp).

Every change goes through contracts.actions."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class Contract(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", "待签署"
        SIGNED = "signed", "已签署"

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="contract")
    number = models.CharField(max_length=40, unique=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ISSUED)
    # The exact bytes that are signed and later verified: stored, never re-rendered.
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64, unique=True)
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def code_scope(self) -> str:
        """The core.otp scope of this contract's signing codes: a code signs this contract only."""
        return f"contract:{self.pk}"


class Signature(models.Model):
    """The confirmation record: who confirmed with which code, when (server time), what
    document (SHA-256 and SM3) and the platform's SM2 signature over the SM3 hash."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="signature")
    # The spent one-time code (core.otp, scope "contract:<pk>") the applicant confirmed with.
    code = models.OneToOneField("core.OneTimeCode", on_delete=models.PROTECT, related_name="contract_signature")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=128)
    confirmed_at = models.DateTimeField()
    document_sha256 = models.CharField(max_length=64)
    document_sm3 = models.CharField(max_length=64, unique=True)
    algorithm = models.CharField(max_length=16, default="SM2-SM3")
    public_key = models.CharField(max_length=130)
    value = models.CharField(max_length=256, help_text="SM2 signature r||s, hex")

    class Meta:
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
