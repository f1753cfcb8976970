"""Applicant-side records (one-time codes are core.otp's): the applicant's verified identity and
ratings (complaints live in the complaints app). Every change goes through customers.actions."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Profile(models.Model):
    """The applicant's identity: a person (居民身份证) or an enterprise (统一社会信用代码),
    checked by an identity provider (customers.identity)."""

    class Kind(models.TextChoices):
        PERSON = "person", "个人"
        ENTERPRISE = "enterprise", "企业"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_profile")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=128)
    id_number_enc = models.TextField(blank=True, default="", help_text="SM4-GCM ciphertext (persons)")
    uscc = models.CharField(max_length=18, blank=True, default="", help_text="统一社会信用代码 (public)")
    provider = models.CharField(max_length=32)
    verified_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & ~Q(id_number_enc="")) | (Q(kind="enterprise") & ~Q(uscc="")),
                name="profile_has_identifier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Rating(models.Model):
    """服务评价: once per application, after energisation."""

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="rating")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
