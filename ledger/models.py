"""任务台账: the seeds' task tables per region, each task's progress reports with evidence,
the energy bureau's review, milestones, check-ins and rectification items (问题清单、制度立改废).

Every change goes through ledger.actions; these models hold the data and the invariants the
database can enforce."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class TaskStatus(models.TextChoices):
    # Stored states; at risk / overdue are derived (ledger.status), never stored.
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


class DeadlineKind(models.TextChoices):
    DATE = "date", "限期完成"
    DONE_ONGOING = "done_ongoing", "已实现，持续巩固"
    ONGOING = "ongoing", "持续推进"


class TaskKind(models.TextChoices):
    TASK = "task", "工作任务"
    RULES_CLEANUP = "rules_cleanup", "制度立改废"
    PROBLEM = "problem", "问题清单"


class Task(models.Model):
    region = models.CharField(max_length=32)
    number = models.PositiveIntegerField(help_text="序号 as in the seed; problem-list items continue after the table")
    from_seed = models.BooleanField(default=True)
    kind = models.CharField(max_length=16, choices=TaskKind.choices, default=TaskKind.TASK)
    area = models.CharField(max_length=64, help_text="分类")
    text = models.TextField(max_length=2000, help_text="工作目标任务")
    responsible = models.CharField(max_length=255, help_text="责任单位 as written")
    units = models.JSONField(default=list, help_text="ledger.units codes")
    lead = models.JSONField(default=list)
    deadline_text = models.CharField(max_length=64, help_text="完成时间 as written")
    deadline_kind = models.CharField(max_length=16, choices=DeadlineKind.choices)
    deadline = models.DateField(null=True, blank=True)
    indicator = models.JSONField(null=True, blank=True, help_text="indicator targets measuring this task")
    empty = models.BooleanField(default=False, help_text="the seed prints the number with nothing in it")
    note = models.TextField(blank=True, default="", max_length=2000)
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    loaded_on = models.DateField(help_text="when the task entered the ledger; check-ins count from it")
    last_check_in = models.DateField(null=True, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["region", "number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="ledger_task_region_number"),
            models.CheckConstraint(
                condition=Q(deadline_kind="date", deadline__isnull=False) | ~Q(deadline_kind="date"),
                name="ledger_task_date_kind_has_date",
            ),
            models.CheckConstraint(condition=Q(empty=False) | Q(status="not_started"), name="ledger_empty_row_idle"),
        ]

    def __str__(self) -> str:
        return f"{self.region} #{self.number}"


class Milestone(models.Model):
    """A dated step: from the task's own text, or an interim yearly target the responsible
    unit adds (Shaanxi 注2: tasks due by end-2022 get yearly milestones)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    on = models.DateField()
    text = models.CharField(max_length=200)
    from_seed = models.BooleanField(default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task_id", "on", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "on", "text"], name="ledger_milestone_unique")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Report(models.Model):
    """A progress report (or a periodic check-in) by the responsible unit, reviewed by the bureau."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "进展报告"
        CHECK_IN = "check_in", "定期检查"
        COMPLETION = "completion", "完成申请"

    class Review(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已认可"
        RETURNED = "returned", "已退回"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(max_length=4000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["task_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="ledger_report_idempotent"),
            models.CheckConstraint(condition=Q(review="pending") | Q(reviewed_by__isnull=False),
                                   name="ledger_review_has_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"ledger/{instance.report.task.region}/{instance.report.task.number}/{instance.sha256[:16]}"


class Evidence(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Rectification(models.Model):
    """One item to fix under a problem-list or rules clean-up task (整改事项)."""

    class Action(models.TextChoices):
        FIX = "fix", "整改"
        ESTABLISH = "establish", "立"
        AMEND = "amend", "改"
        ABOLISH = "abolish", "废"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="rectifications")
    action = models.CharField(max_length=10, choices=Action.choices)
    subject = models.CharField(max_length=200, help_text="the problem, or the rule/document concerned")
    measure = models.CharField(max_length=1000, blank=True, default="")
    due = models.DateField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=1000, blank=True, default="")

    class Meta:
        ordering = ["task_id", "due", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closed_at__isnull=True) | ~Q(result=""),
                                   name="ledger_rectification_closed_with_result"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
