"""供用电合同: the contract document generated from an accepted application, the one-time
codes the applicant confirms with, and the platform's SM2 signature over the document.

Every change goes through contracts.actions."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


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


class SigningCode(models.Model):
    """A one-time code sent to the applicant; only its keyed hash is stored."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="codes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=16)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="superseded by a newer code")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one live code per contract: requesting a new one revokes the old.
            models.UniqueConstraint(fields=["contract"], condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                                    name="one_live_signing_code"),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="code_expires_after_issue"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Signature(models.Model):
    """The confirmation record: who confirmed with which code, when (server time), what
    document (SHA-256 and SM3) and the platform's SM2 signature over the SM3 hash."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="signature")
    code = models.OneToOneField(SigningCode, on_delete=models.PROTECT, related_name="signature")
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
