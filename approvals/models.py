"""Power-access approval (电力接入工程审批): a routed works and one case per department.

An `ApprovalRequest` is one works as staff recorded it, with the routing the policy gave
(kept as it was decided, so a later policy change never rewrites it). A request that is not
exempt opens one `DepartmentCase` per department at once (并联审批), each on the legal clock.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from approvals.labels import LABELS
from policies.schema import CROSSING_CODES, DEPARTMENT_CODES

DEPARTMENT_CHOICES = [(code, LABELS["department"][code]) for code in DEPARTMENT_CODES]
DOSSIER_TYPES = ("construction_plan", "traffic_plan", "road_works_agreement")


class RequestStatus(models.TextChoices):
    EXEMPT = "exempt", "免于行政许可"
    IN_APPROVAL = "in_approval", "部门审批中"
    APPROVED = "approved", "审批通过"
    REJECTED = "rejected", "未通过审批"


class CaseStatus(models.TextChoices):
    PENDING = "pending", "审批中"
    APPROVED = "approved", "已批准"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "附条件批准"
    REJECTED = "rejected", "不予批准"


DECIDED = (CaseStatus.APPROVED, CaseStatus.APPROVED_WITH_CONDITIONS, CaseStatus.REJECTED)


class ApprovalRequest(models.Model):
    number = models.CharField(max_length=32, unique=True)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="approval_requests"
    )
    policy_version = models.ForeignKey("policies.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    voltage_kv = models.DecimalField(max_digits=7, decimal_places=2)
    kw = models.DecimalField(max_digits=10, decimal_places=1, help_text="capacity in kW")
    length_m = models.DecimalField(max_digits=9, decimal_places=1, help_text="line length in metres")
    sanling = models.BooleanField(default=False)
    interested_parties = models.BooleanField(default=False)
    crossings = models.JSONField(default=list, help_text=f"codes among {', '.join(CROSSING_CODES)}")
    routes = models.JSONField(default=list)
    exempt = models.BooleanField()
    rule = models.CharField(max_length=100, help_text="policy key path that decided")
    source = models.CharField(max_length=500)
    routing = models.JSONField(help_text="the routing as decided (policies.routing.Routing.as_json)")
    submitted_on = models.DateField(help_text="day the clock counts from (not counted itself)")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=RequestStatus.choices)
    due_date = models.DateField(null=True, blank=True, help_text="earliest limit's due date; none when exempt")
    # 告知承诺 / 备案: the filing certificate issued once the dossier is complete.
    filing_number = models.CharField(max_length=40, blank=True, default="")
    filed_at = models.DateTimeField(null=True, blank=True)
    # After the works: restoration, then the completion push within the policy's months.
    works_completed_on = models.DateField(null=True, blank=True)
    completion_push_due = models.DateField(null=True, blank=True)
    completion_pushed_at = models.DateTimeField(null=True, blank=True)
    completion_survey = models.TextField(blank=True, default="", max_length=2000)
    restored_on = models.DateField(null=True, blank=True)
    restoration_note = models.TextField(blank=True, default="", max_length=1000)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exempt=False) | Q(status="exempt"), name="approval_request_exempt_status"
            ),
            models.CheckConstraint(
                condition=Q(completion_push_due__isnull=True) | Q(works_completed_on__isnull=False),
                name="approval_request_push_after_works",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def message_link(self, user) -> str:
        """Where a message about this request takes its reader."""
        if user is not None and user.pk == self.application.applicant_user_id:
            return f"/me/applications/{self.application_id}/"
        return f"/approvals/requests/{self.pk}/"


class DepartmentCase(models.Model):
    request = models.ForeignKey(ApprovalRequest, on_delete=models.PROTECT, related_name="cases")
    department = models.CharField(max_length=32, choices=DEPARTMENT_CHOICES)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="approval_cases")
    limits = models.JSONField(default=list, help_text="[{value, unit, source, due}] from the routing")
    due_date = models.DateField(null=True, blank=True)
    provisional = models.BooleanField(default=False)
    status = models.CharField(max_length=24, choices=CaseStatus.choices, default=CaseStatus.PENDING)
    opened_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conditions = models.TextField(blank=True, default="", max_length=2000)
    reason = models.TextField(blank=True, default="", max_length=2000)
    overdue = models.BooleanField(default=False, help_text="the due date passed before a decision")
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "department"], name="approval_case_one_per_department"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="approval_case_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved_with_conditions") | ~Q(conditions=""),
                name="approval_case_conditions_given",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False), name="approval_case_decided_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} · {self.get_department_display()}"

    def message_link(self, user) -> str:
        if user is not None and user.pk == self.request.application.applicant_user_id:
            return f"/me/applications/{self.request.application_id}/"
        return f"/approvals/cases/{self.pk}/"


class DossierDocument(models.Model):
    """A document filed online on a 告知承诺 / 备案 request (施工方案, 交通疏解方案, 涉路工程建设协议)."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.PROTECT, related_name="dossier")
    doc_type = models.CharField(max_length=32)
    file = models.FileField(upload_to="approvals/%Y/%m/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ProcessTime(models.Model):
    """Full-process time of an application, recorded when it is energised (approvals.process_time).
    Grid-side time is stored in the policy's unit for the application's category."""

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       related_name="process_time")
    start = models.DateField(help_text="first submission (not counted)")
    end = models.DateField(help_text="energised (counted)")
    calendar_days = models.PositiveIntegerField()
    working_days = models.PositiveIntegerField()
    grid_side = models.PositiveIntegerField(help_text="in `unit`")
    unit = models.CharField(max_length=8, choices=[("day", "天"), ("workday", "工作日")])
    approval_days = models.PositiveIntegerField()
    approval_workdays = models.PositiveIntegerField()
    customer_days = models.PositiveIntegerField()
    customer_workdays = models.PositiveIntegerField()
    counts_approval = models.BooleanField(help_text="policy: approval time counts toward full-process limits")
    counted = models.PositiveIntegerField(help_text="compared with the full-process limit, in `unit`")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
