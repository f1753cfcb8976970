"""What the public must see that is not already policy or live data: the library of approval
policy documents and tariff documents, good practices (经验做法) after review, and the
public's reports of 三指定 or irregular fees, which queue for the regulator with a clock.

Every change goes through disclosure.actions."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class PublishedDocument(models.Model):
    class Kind(models.TextChoices):
        APPROVAL_POLICY = "approval_policy", "电力接入工程审批政策文件"
        TARIFF = "tariff", "电价政策文件"
        SERVICE = "service", "用电报装服务政策文件"

    region = models.CharField(max_length=32)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    number = models.CharField(max_length=64, blank=True, default="", help_text="文号, e.g. 浙发改能源〔2021〕177号")
    issuer = models.CharField(max_length=128)
    issued_on = models.DateField()
    published_on = models.DateField()
    effective_from = models.DateField(null=True, blank=True)
    summary = models.TextField(max_length=2000, blank=True, default="")
    url = models.URLField(max_length=300, blank=True, default="")
    source = models.CharField(max_length=200, blank=True, default="", help_text="seed citation when bundled")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region", "kind", "-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "title", "number"], name="published_document_unique"),
            # 电价调整提前向社会公布: a tariff document is public before the day it takes effect.
            models.CheckConstraint(
                condition=~Q(kind="tariff") | Q(effective_from__isnull=False, published_on__lt=F("effective_from")),
                name="tariff_published_before_effective",
            ),
            models.CheckConstraint(condition=Q(published_on__gte=F("issued_on")), name="published_after_issued"),
        ]

    def __str__(self) -> str:
        return self.title


class GoodPractice(models.Model):
    """可复制、可推广的经验做法: submitted by a unit, published after the bureau's review."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        PUBLISHED = "published", "已发布"
        RETURNED = "returned", "已退回"

    region = models.CharField(max_length=32)
    title = models.CharField(max_length=100)
    body = models.TextField(max_length=4000)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["region", "-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(state="submitted") | Q(reviewed_by__isnull=False),
                                   name="good_practice_reviewed_by"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ViolationReport(models.Model):
    """A report from the public of a designated designer/builder/supplier (三指定) or a fee
    outside the catalogue; the regulator handles it within the policy's limit."""

    class Kind(models.TextChoices):
        DESIGNATION = "designation", "指定设计、施工、供货单位（三指定）"
        IRREGULAR_FEE = "irregular_fee", "违规收费（收费目录以外或超标准）"

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        CLOSED = "closed", "已办结"

    region = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.TextField(max_length=2000)
    application_number = models.CharField(max_length=32, blank=True, default="")
    reporter_name = models.CharField(max_length=64, blank=True, default="")
    reporter_phone_enc = models.TextField(blank=True, default="", help_text="SM4-GCM ciphertext")
    received_at = models.DateTimeField()
    due_date = models.DateField()
    provisional = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    finding = models.CharField(max_length=2000, blank=True, default="")
    substantiated = models.BooleanField(null=True)
    idempotency_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["state", "due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(state="open") | (~Q(finding="") & Q(substantiated__isnull=False)),
                                   name="violation_closed_with_finding"),
            models.UniqueConstraint(fields=["idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="violation_report_idempotent"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
