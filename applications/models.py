"""用电申请 (connection applications), their stages on the legal clock, pauses,
escalations (督办), documents. Messages to people go through core.outbox.

Every change goes through applications.actions; these models hold the data and the
invariants the database can enforce."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.bounds import MONEY, POSITIVE_MONEY, Range

# A connection is made at 220 V at the least and at 1000 kV (UHV) at the most; a customer's
# installed capacity above 1,000,000 kVA is beyond any single connection.
VOLTAGE_KV = Range(low=Decimal("0.22"), high=Decimal("1000"), places=2, unit="kV")
CAPACITY_KVA = Range(low=Decimal("0"), high=Decimal("1000000"), places=1, low_inclusive=False, unit="kVA")


class AreaCategory(models.TextChoices):
    CITY_CORE = "city_core", "市中心区"
    URBAN = "urban", "市区"
    TOWN = "town", "城镇"
    RURAL = "rural", "农村"


class Channel(models.TextChoices):
    ONLINE = "online", "网上国网/网站"
    APP = "app", "移动客户端/API"
    HALL = "hall", "营业厅代办"
    PHONE = "phone", "95598电话"


ONLINE_CHANNELS = {Channel.ONLINE, Channel.APP}


class Status(models.TextChoices):
    SUBMITTED = "submitted", "已申请待受理"
    IN_PROGRESS = "in_progress", "办理中"
    ENERGISED = "energised", "已送电"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = {Status.SUBMITTED, Status.IN_PROGRESS}


class Application(models.Model):
    class ApplicantKind(models.TextChoices):
        PERSON = "person", "个人"
        ENTERPRISE = "enterprise", "企业"

    class EnterpriseSize(models.TextChoices):
        """国家统计局《统计上大中小微型企业划分办法（2017）》: the national size classes."""

        LARGE = "large", "大型企业"
        MEDIUM = "medium", "中型企业"
        SMALL = "small", "小型企业"
        MICRO = "micro", "微型企业"

    class Supply(models.TextChoices):
        SINGLE = "single", "单电源"
        DUAL = "dual", "双电源"

    class BusinessType(models.TextChoices):
        NEW = "new", "新装"
        INCREASE = "increase", "增容"
        TEMPORARY = "temporary", "临时用电"

    number = models.CharField(max_length=32, unique=True)
    region = models.CharField(max_length=32)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="applications")
    utility = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                help_text="the utility (root organisation) serving this application")
    handling_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="applications")

    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="applications")
    applicant_kind = models.CharField(max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(max_length=128)
    uscc = models.CharField(max_length=18, blank=True, default="", help_text="统一社会信用代码 (public)")
    enterprise_size = models.CharField(max_length=8, choices=EnterpriseSize.choices, blank=True, default="",
                                       help_text="national size class of an enterprise applicant; empty for a person "
                                                 "or when not declared")
    id_number_enc = models.TextField(blank=True, default="", help_text="SM4-GCM ciphertext")
    id_digest = models.CharField(max_length=64, blank=True, default="", db_index=True)
    contact_phone_enc = models.TextField(blank=True, default="")

    site_address = models.CharField(max_length=255)
    site_digest = models.CharField(max_length=64, db_index=True, help_text="normalised site, for 重走流程 checks")
    area_category = models.CharField(max_length=10, choices=AreaCategory.choices)
    business_type = models.CharField(max_length=10, choices=BusinessType.choices, default=BusinessType.NEW)
    voltage_kv = models.DecimalField(max_digits=7, decimal_places=2)
    capacity_kva = models.DecimalField(max_digits=10, decimal_places=1)
    supply = models.CharField(max_length=6, choices=Supply.choices, default=Supply.SINGLE)
    residential = models.BooleanField(default=False)
    important = models.BooleanField(default=False, help_text="重要用户/高危用户")
    sanling = models.BooleanField(default=False, help_text="三零 eligible")
    no_works = models.BooleanField(default=False, help_text="LV with no works: 当日申请次日接电")
    conditional = models.BooleanField(default=False, help_text="有条件 HV: merged completion+connection")
    in_park = models.BooleanField(default=False, help_text="省级及以上园区/重点项目: extended investment boundary")

    category = models.CharField(max_length=32)
    category_name = models.CharField(max_length=64)
    policy_version = models.ForeignKey("policies.PolicyVersion", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="applications", help_text="pinned at acceptance")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)

    submitted_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    energised_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_reason = models.TextField(blank=True, default="")

    account_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="managed_applications")
    project_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="projects")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    zero_investment = models.BooleanField(null=True, help_text="三零: utility invests to the boundary")
    investment_boundary = models.CharField(max_length=32, blank=True, default="")
    # 重走流程: a re-filed application is linked to the first; its full-process clock starts there.
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="refiled_as")
    first_submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["county", "status"]), models.Index(fields=["region", "submitted_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(capacity_kva__gt=0), name="application_capacity_positive"),
            models.CheckConstraint(condition=Q(voltage_kv__gt=0), name="application_voltage_positive"),
            models.CheckConstraint(condition=Q(capacity_kva__lte=CAPACITY_KVA.high), name="application_capacity_bounded"),
            models.CheckConstraint(condition=Q(voltage_kv__gte=VOLTAGE_KV.low, voltage_kv__lte=VOLTAGE_KV.high),
                                   name="application_voltage_bounded"),
            models.CheckConstraint(
                condition=~Q(status="energised") | Q(energised_at__isnull=False), name="energised_has_time"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted"]) | Q(policy_version__isnull=False) | Q(status__in=["rejected", "withdrawn"]),
                name="accepted_pins_policy",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def message_link(self, user) -> str:
        """Where a message about this application takes its reader: the portal page for the
        applicant, the workbench page for staff."""
        from django.urls import reverse

        if user is None or user.pk == self.applicant_user_id:
            return reverse("customers:application", args=[self.pk])
        return reverse("applications:application", args=[self.pk])

    @property
    def is_hv(self) -> bool:
        return self.voltage_kv >= 1


class Stage(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "未开始"
        ACTIVE = "active", "办理中"
        PAUSED = "paused", "暂停（客户原因）"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已终止"

    class Alert(models.TextChoices):
        NONE = "", "正常"
        WARNING = "warning", "预警"
        OVERDUE = "overdue", "超期"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stages")
    seq = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=32)
    limit = models.PositiveSmallIntegerField(null=True, blank=True, help_text="empty: the policy sets no limit")
    unit = models.CharField(max_length=8)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    alert = models.CharField(max_length=8, choices=Alert.choices, default=Alert.NONE, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    # The day the limit counts from: the stage's own start, or — for a stage the seed gives
    # no limit of its own — the application's start, so the category total binds.
    counts_from = models.DateField(null=True, blank=True)
    own_limit = models.BooleanField(default=True)
    base_due = models.DateField(null=True, blank=True, help_text="due date from the limit alone")
    due_date = models.DateField(null=True, blank=True, help_text="base due extended by paused working days")
    provisional = models.BooleanField(default=False)
    paused_workdays = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    grid_workdays = models.PositiveIntegerField(null=True, blank=True, help_text="working days held, pauses excluded")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="assigned_stages")
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    result = models.TextField(blank=True, default="")
    evidence_date = models.DateField(null=True, blank=True, help_text="date claimed on the evidence (survey, reading)")

    class Meta:
        ordering = ["application_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="stage_code_once"),
            models.UniqueConstraint(fields=["application", "seq"], name="stage_seq_once"),
            models.CheckConstraint(condition=~Q(state="done") | Q(ended_at__isnull=False), name="done_stage_has_end"),
        ]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.code}"


# A stage the application is currently in: running, or held by the customer.
OPEN_STAGE_STATES = (Stage.State.ACTIVE, Stage.State.PAUSED)


def current_stage(stages) -> Stage | None:
    """The open stage among `stages` (an application has at most one); None once finished."""
    return next((s for s in stages if s.state in OPEN_STAGE_STATES), None)


class Pause(models.Model):
    class Reason(models.TextChoices):
        AWAITING_DOCUMENTS = "awaiting_documents", "等待客户补充资料"
        CUSTOMER_WORKS = "customer_works", "客户受电工程施工"
        CUSTOMER_REQUESTED_DATE = "customer_requested_date", "客户要求的日期"
        FORCE_MAJEURE = "force_majeure", "不可抗力（需主管批准）"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=32, choices=Reason.choices)
    note = models.TextField(blank=True, default="")
    # 等待客户补充资料: the document types asked for (codes from the policy's list for the category);
    # the applicant may upload exactly these while the pause lasts.
    requested_documents = models.JSONField(default=list, blank=True)
    respond_by = models.DateField(null=True, blank=True, help_text="the day the customer is asked to act by")
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    workdays = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            # One open pause per stage at a time.
            models.UniqueConstraint(fields=["stage"], condition=Q(ended_at__isnull=True), name="one_open_pause"),
            models.CheckConstraint(
                condition=~Q(reason="force_majeure") | Q(approved_by__isnull=False), name="force_majeure_approved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Escalation(models.Model):
    """督办: opened when a stage is overdue, addressed to the county supervisor, with its own deadline."""

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        REPLIED = "replied", "已回复"
        CLOSED = "closed", "已办结"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="escalations")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="escalations")
    opened_at = models.DateTimeField()
    due_date = models.DateField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    reply = models.TextField(blank=True, default="")
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["stage"], name="one_escalation_per_stage")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


def document_path(instance: "Document", filename: str) -> str:
    return f"applications/{instance.application.number}/{instance.doc_type}-{filename}"


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    stage_code = models.CharField(max_length=32)
    doc_type = models.CharField(max_length=48)
    file = models.FileField(upload_to=document_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class IdempotencyKey(models.Model):
    """A creating POST's key: a repeat returns the first result, never a second object."""

    key = models.CharField(max_length=128)
    scope = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request_digest = models.CharField(max_length=64)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "user", "key"], name="idempotency_once")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class SupplyScheme(models.Model):
    """供电方案: one or several options (可选供电方案) with connection point, investment
    boundary and who pays what; the applicant's choice is recorded."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="schemes")
    label = models.CharField(max_length=32, help_text="e.g. 方案一")
    connection_point = models.CharField(max_length=255)
    boundary = models.CharField(max_length=40, help_text="investment boundary code from the policy")
    customer_cost = models.DecimalField(max_digits=14, decimal_places=2)
    utility_cost = models.DecimalField(max_digits=14, decimal_places=2)
    description = models.TextField(blank=True, default="")
    onsite = models.BooleanField(default=False, help_text="answered at the site survey (现场答复)")
    transitional = models.BooleanField(default=False, help_text="过渡方案 while the grid is upgraded")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    chosen = models.BooleanField(default=False)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(chosen=True), name="one_chosen_scheme"),
            models.UniqueConstraint(fields=["application", "label"], name="scheme_label_once"),
            models.CheckConstraint(condition=Q(customer_cost__gte=0) & Q(utility_cost__gte=0),
                                   name="scheme_costs_not_negative"),
            models.CheckConstraint(condition=Q(customer_cost__lte=MONEY.high) & Q(utility_cost__lte=MONEY.high),
                                   name="scheme_costs_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class GridProject(models.Model):
    """A tracked grid-side sub-process: 业扩配套工程 (supporting works) or the upgrade a
    transitional scheme is waiting for, with its own dates."""

    class Kind(models.TextChoices):
        SUPPORTING_WORKS = "supporting_works", "业扩配套工程"
        UPGRADE = "upgrade", "配电网升级改造（过渡方案）"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="grid_projects")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=128)
    opened_at = models.DateTimeField()
    planned_end = models.DateField(null=True, blank=True)
    filed_on = models.DateField(null=True, blank=True, help_text="备案")
    construction_start = models.DateField(null=True, blank=True)
    construction_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(construction_end__isnull=True) | Q(construction_start__isnull=False),
                name="project_end_needs_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Fee(models.Model):
    """A charge to the customer, at the price authority's approved items only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="fees")
    item = models.CharField(max_length=64)
    catalogue_code = models.CharField(max_length=64, blank=True, default="",
                                      help_text="the fee catalogue item of the region's policy it was charged under")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    basis = models.CharField(max_length=255, help_text="the approved price item it is charged under")
    works = models.BooleanField(default=False, help_text="a charge for connection works (not allowed at zero investment)")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True,
                                        help_text="set when the application closed before the fee was paid")

    class Meta:
        ordering = ["application_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_positive"),
            models.CheckConstraint(condition=Q(amount__lte=POSITIVE_MONEY.high), name="fee_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Confirmation(models.Model):
    """The second person's own confirmation (双人复核, the supervisor's approval of a
    force-majeure pause): asked by the first person, waiting in the second person's queue until
    they confirm or decline it themselves. Nothing is done on a name alone."""

    class Kind(models.TextChoices):
        STAGE_CHECK = "stage_check", "双人复核"
        FORCE_MAJEURE = "force_majeure", "不可抗力暂停审批"

    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "已拒绝"
        WITHDRAWN = "withdrawn", "已撤销"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="confirmations")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="confirmations")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="confirmations")
    data = models.JSONField(default=dict, blank=True, help_text="what the first person submitted (result, reason, note)")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="", help_text="the confirmer's remark, e.g. why declined")

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "kind"], condition=Q(state="pending"),
                                    name="one_pending_confirmation"),
            models.CheckConstraint(condition=~Q(requested_by=models.F("confirmer")), name="confirmer_is_second_person"),
            models.CheckConstraint(condition=Q(state="pending") | Q(decided_at__isnull=False),
                                   name="decided_confirmation_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ContractorChoice(models.Model):
    """The applicant's own choice of designer, builder or supplier for the receiving works.
    Only the applicant records it: the utility never designates one (三指定 ban)."""

    class Role(models.TextChoices):
        DESIGNER = "designer", "设计单位"
        BUILDER = "builder", "施工单位"
        SUPPLIER = "supplier", "设备材料供应单位"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="contractors")
    role = models.CharField(max_length=10, choices=Role.choices)
    name = models.CharField(max_length=128)
    uscc = models.CharField(max_length=18, blank=True, default="", help_text="统一社会信用代码")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField()

    class Meta:
        ordering = ["application_id", "role"]
        constraints = [models.UniqueConstraint(fields=["application", "role"], name="contractor_choice_one_per_role")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
