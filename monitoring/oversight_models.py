"""Oversight records of the energy bureau: 通报 (bulletins), 抽查 (spot checks), 监督检查 and
约谈 with their follow-ups, and the receipts of scheduled reports. Kept apart from the
indicator facts (models.py imports them) because they are what people decided, not what
the data showed."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


def bulletin_path(bulletin: "Bulletin", filename: str) -> str:
    return f"bulletins/{bulletin.region}/{filename}"


class Bulletin(models.Model):
    """A 通报: the counties of a region ranked for a period, naming those that missed targets.
    One per region and period: a bulletin once issued is kept as issued."""

    region = models.CharField(max_length=32)
    period = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    rows = models.JSONField(help_text="ranked counties: rank, county, utility, missed and judged indicators, misses")
    file = models.FileField(upload_to=bulletin_path)
    sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0, help_text="messages written to the outbox for it")

    class Meta:
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="bulletin_one_per_period")]

    def __str__(self) -> str:
        return self.title


class SpotCheck(models.Model):
    """A random sample of one county's cases for review. The seed is stored and logged so anyone
    can draw the same sample again; one draw per county and period, so nobody redraws until
    the sample suits them."""

    region = models.CharField(max_length=32)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=8)
    seed = models.BigIntegerField()
    population = models.PositiveIntegerField(help_text="cases energised in the period the sample was drawn from")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField()

    class Meta:
        ordering = ["-drawn_at"]
        constraints = [models.UniqueConstraint(fields=["county", "period"], name="spotcheck_one_per_county_period")]

    def __str__(self) -> str:
        return f"{self.county} {self.period} 抽查"


class SpotCheckItem(models.Model):
    class Verdict(models.TextChoices):
        PENDING = "pending", "待核查"
        CONFORMS = "conforms", "符合规定"
        PROBLEM = "problem", "发现问题"

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    finding = models.TextField(blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["spot_check", "position"]
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "application"], name="spotcheckitem_once"),
            models.CheckConstraint(condition=Q(verdict="pending") | Q(reviewed_at__isnull=False),
                                   name="spotcheckitem_reviewed_when_judged"),
            models.CheckConstraint(condition=~Q(verdict="problem") | ~Q(finding=""),
                                   name="spotcheckitem_problem_has_finding"),
        ]

    def __str__(self) -> str:
        return f"{self.spot_check} #{self.position}"


class Inspection(models.Model):
    """A 监督检查 or a 约谈 of a unit, with what was found; follow-ups carry the due dates."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", "监督检查"
        INTERVIEW = "interview", "约谈"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    region = models.CharField(max_length=32)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="+",
                                     help_text="the unit inspected or interviewed")
    held_on = models.DateField()
    subject = models.CharField(max_length=200)
    findings = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.subject


class FollowUp(models.Model):
    """整改: what the unit must do, by when; closed with the result."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(max_length=500)
    due_on = models.DateField()
    closed_at = models.DateTimeField(null=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    result = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(closed_at__isnull=True) | ~Q(result=""),
                                              name="followup_closed_with_result")]

    def __str__(self) -> str:
        return self.action


class ReportReceipt(models.Model):
    """The receipt of a report the policy's `reporting` section schedules: generated once per
    kind, region and period, delivered through the outbox; `report_on_time` reads these."""

    kind = models.CharField(max_length=10)
    region = models.CharField(max_length=32)
    period = models.CharField(max_length=8)
    rule = models.CharField(max_length=48, help_text="the key of the rule in the policy's reporting section")
    report = models.OneToOneField("monitoring.Report", on_delete=models.PROTECT, related_name="receipt")
    due_on = models.DateField(null=True, help_text="the last day the policy allows; null when it sets none")
    delivered_at = models.DateTimeField()
    recipients = models.PositiveIntegerField()

    class Meta:
        ordering = ["-delivered_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "region", "period"], name="receipt_once_per_period")]

    def __str__(self) -> str:
        return f"{self.region} {self.kind} {self.period}"
