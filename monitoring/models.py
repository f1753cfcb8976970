"""Facts and snapshots behind the indicators.

`ApplicationFact` and `StageFact` are a derived, per-case fact table (a star schema in
miniature): each application's times in its policy's own unit, computed once by
`actions.facts_refresh` from the stages and pauses, so every indicator is one SQL
aggregate over indexed columns instead of a walk over events. `Snapshot` keeps what an
indicator showed for a period; a recomputation that differs supersedes it and is logged,
so history survives corrections."""
from __future__ import annotations

from django.db import models
from django.db.models import Q


class ApplicationFact(models.Model):
    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE,
                                       related_name="fact", primary_key=True)
    region = models.CharField(max_length=32, db_index=True)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+", null=True)
    utility = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+", null=True)
    category = models.CharField(max_length=32)
    unit = models.CharField(max_length=8, help_text="the category's unit in its policy: workday or day")
    status = models.CharField(max_length=12)
    residential = models.BooleanField()
    sanling = models.BooleanField()
    no_works = models.BooleanField(help_text="LV with no works: 当日申请、次日接电")
    voltage_kv = models.DecimalField(max_digits=7, decimal_places=2)
    capacity_kva = models.DecimalField(max_digits=10, decimal_places=1)
    area_category = models.CharField(max_length=10)
    online = models.BooleanField(help_text="filed through an online channel")
    submitted_on = models.DateField()
    energised_on = models.DateField(null=True)
    # Both counts are kept: each limit is compared in its own unit (Zhejiang counts 天, Zaozhuang 工作日).
    grid_side_days = models.PositiveIntegerField(null=True, help_text="calendar days the utility held the file")
    grid_side_workdays = models.PositiveIntegerField(null=True, help_text="working days the utility held the file")
    full_process_days = models.PositiveIntegerField(null=True)
    full_process_workdays = models.PositiveIntegerField(null=True)
    grid_side_limit = models.PositiveIntegerField(null=True)
    grid_side_limit_unit = models.CharField(max_length=8, blank=True, default="")
    full_process_limit = models.PositiveIntegerField(null=True)
    full_process_limit_unit = models.CharField(max_length=8, blank=True, default="")
    stage_count = models.PositiveSmallIntegerField()
    stage_cap = models.PositiveSmallIntegerField(null=True, help_text="the stage count the policy promises at most")
    stages_late = models.PositiveSmallIntegerField(help_text="stages finished after their due date")
    escalations = models.PositiveSmallIntegerField()
    zero_investment = models.BooleanField(null=True, help_text="null: the policy gives this case no zero investment; "
                                          "true: it paid nothing for works; false: it was charged for works")
    rating = models.PositiveSmallIntegerField(null=True)
    enterprise_size = models.CharField(max_length=8, blank=True, default="", help_text="the applicant's size class")
    works_charged = models.BooleanField(default=False, help_text="the customer was charged for connection works")
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["region", "energised_on"], name="fact_region_energised"),
            models.Index(fields=["region", "submitted_on"], name="fact_region_submitted"),
            models.Index(fields=["county", "energised_on"], name="fact_county_energised"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class StageFact(models.Model):
    fact = models.ForeignKey(ApplicationFact, on_delete=models.CASCADE, related_name="stages")
    region = models.CharField(max_length=32)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=32)
    code = models.CharField(max_length=32)
    unit = models.CharField(max_length=8)
    limit = models.PositiveSmallIntegerField(null=True)
    held = models.PositiveIntegerField(help_text="time the utility held the stage, in `unit`, pauses excluded")
    within = models.BooleanField(null=True, help_text="finished on or before its due date; null without a limit")
    ended_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["region", "ended_on"], name="stagefact_region_ended")]
        constraints = [models.UniqueConstraint(fields=["fact", "code"], name="stagefact_one_per_stage")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Snapshot(models.Model):
    region = models.CharField(max_length=32)
    county_code = models.CharField(max_length=32, blank=True, default="", help_text="empty: the whole region")
    period = models.CharField(max_length=8)
    code = models.CharField(max_length=48)
    dimension = models.CharField(max_length=64, blank=True, default="")
    value = models.FloatField(null=True)
    target = models.FloatField(null=True)
    unit = models.CharField(max_length=16)
    direction = models.CharField(max_length=2)
    status = models.CharField(max_length=8)
    source = models.CharField(max_length=500, blank=True, default="")
    taken_at = models.DateTimeField()
    current = models.BooleanField(default=True)
    supersedes = models.OneToOneField("self", null=True, on_delete=models.PROTECT, related_name="superseded_by")

    class Meta:
        ordering = ["region", "period", "code", "dimension"]
        constraints = [
            models.UniqueConstraint(fields=["region", "county_code", "period", "code", "dimension"],
                                    condition=Q(current=True), name="snapshot_one_current"),
            models.CheckConstraint(condition=Q(status__in=["met", "at_risk", "missed", "n/a"]), name="snapshot_status"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


def report_path(report: "Report", filename: str) -> str:
    return f"reports/{report.period}/{filename}"


class Report(models.Model):
    """A generated 月统计 / 季分析 / 年度总结 file, kept as delivered."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "月度统计"
        QUARTERLY = "quarterly", "季度分析"
        ANNUAL = "annual", "年度总结"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    region = models.CharField(max_length=32, blank=True, default="", help_text="empty: every region")
    period = models.CharField(max_length=8)
    format = models.CharField(max_length=4)
    file = models.FileField(upload_to=report_path)
    sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0, help_text="messages written to the outbox for it")

    class Meta:
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("monitoring:report", args=[self.pk])


# Oversight records (通报, 抽查, 检查与约谈, report receipts) live in their own module.
from monitoring.oversight_models import (  # noqa: E402,F401
    Bulletin,
    FollowUp,
    Inspection,
    ReportReceipt,
    SpotCheck,
    SpotCheckItem,
)


class RegulatorEndpoint(models.Model):
    """A regulator's system registered by an admin to receive indicator changes (无感监测):
    every new or corrected snapshot is pushed there as a signed webhook through the outbox."""

    name = models.CharField(max_length=64, help_text="the receiving system, e.g. 浙江能源监管办监管平台")
    region = models.CharField(max_length=32, blank=True, default="", help_text="empty: every region")
    url = models.URLField(max_length=255)
    active = models.BooleanField(default=True)
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["url", "region"], condition=Q(active=True), name="endpoint_one_active_per_url"),
            models.CheckConstraint(condition=Q(active=True) | Q(retired_at__isnull=False), name="endpoint_retired_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
