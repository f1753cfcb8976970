"""Shared data: the cache of signed answers, the access log for personal data, the documents
an application holds through sharing (四免), and prospects from the project feed (提前介入)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from sharing.connectors import CONNECTORS

CONNECTOR_CHOICES = [(code, c.name) for code, c in CONNECTORS.items()]


class SharedRecord(models.Model):
    """One signed answer, reused until it expires. Personal data is stored SM4-encrypted."""

    connector = models.CharField(max_length=32, choices=CONNECTOR_CHOICES)
    key_digest = models.CharField(max_length=64, help_text="keyed SM3 of the lookup key")
    data_enc = models.TextField(help_text="JSON; SM4-GCM token when the connector is personal")
    signature = models.CharField(max_length=200)
    fetched_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connector", "key_digest"], name="shared_record_one_per_key")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class AccessLog(models.Model):
    class Outcome(models.TextChoices):
        FETCHED = "fetched", "已获取"
        CACHED = "cached", "使用缓存"
        NOT_SHARED = "not_shared", "无共享数据"
        UNAVAILABLE = "unavailable", "共享服务不可用"
        BAD_SIGNATURE = "bad_signature", "签名无效"

    connector = models.CharField(max_length=32, choices=CONNECTOR_CHOICES)
    key_digest = models.CharField(max_length=64)
    personal = models.BooleanField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=200)
    application = models.ForeignKey("applications.Application", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="sharing_accesses")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class SharedDocument(models.Model):
    """A document the application holds through sharing: never asked of the applicant (四免)."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="shared_documents")
    doc_type = models.CharField(max_length=32)
    connector = models.CharField(max_length=32, choices=CONNECTOR_CHOICES)
    reference = models.CharField(max_length=100, blank=True, default="", help_text="certificate or permit number")
    obtained_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "doc_type"], name="shared_document_once")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Prospect(models.Model):
    """提前介入: a project or new enterprise from the feed, followed before it applies."""

    code = models.CharField(max_length=40, unique=True, help_text="project code or USCC")
    kind = models.CharField(max_length=20, choices=[("investment_project", "投资项目"), ("new_enterprise", "新设小微企业")])
    name = models.CharField(max_length=128)
    company = models.CharField(max_length=128)
    uscc = models.CharField(max_length=18, blank=True, default="")
    address = models.CharField(max_length=255)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="prospects")
    capacity_kva = models.DecimalField(max_digits=10, decimal_places=1)
    voltage_kv = models.DecimalField(max_digits=7, decimal_places=2)
    planned_energising = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField()
    application = models.OneToOneField("applications.Application", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="prospect")

    class Meta:
        ordering = ["planned_energising", "code"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


JOINT_UTILITIES = {"water": "供水公司", "gas": "燃气公司", "heating": "供热公司"}


class JointForward(models.Model):
    """水电气暖联办: an application forwarded to a water, gas or heating company by webhook (outbox)."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="joint_forwards")
    utility = models.CharField(max_length=10, choices=list(JOINT_UTILITIES.items()))
    outbox_key = models.CharField(max_length=120, unique=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "utility"], name="joint_forward_once")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
