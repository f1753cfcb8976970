"""Stored policy versions: what an application pins at acceptance.

A row is one snapshot of a region's policy as resolved by the loader (inheritance
applied), so a pinned version never changes when a parent file changes later.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone

from policies.schema import PolicyDocument


class PolicyVersion(models.Model):
    region = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    parent_region = models.SlugField(max_length=40, blank=True)
    version = models.CharField(max_length=100)
    effective_from = models.DateField()
    document = models.JSONField(help_text="the resolved policy document (policies.schema.PolicyDocument)")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON of document")
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["region", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="policy_version_unique_id"),
            models.UniqueConstraint(fields=["region", "effective_from"], name="policy_version_unique_date"),
            models.CheckConstraint(condition=~Q(region="") & ~Q(version=""), name="policy_version_named"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.version} (from {self.effective_from})"

    def policy(self) -> PolicyDocument:
        return PolicyDocument.model_validate(self.document)
