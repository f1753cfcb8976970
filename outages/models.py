"""Network topology (substation → feeder → transformer → customer), outages and the
per-customer interruptions the reliability indices are computed from."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from outages import reliability


class Area(models.TextChoices):
    CITY_CORE = "city_core", "市中心区"
    URBAN = "urban", "市区"
    TOWN = "town", "城镇"
    RURAL = "rural", "农村"


class Substation(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.name


class ReliabilityZone(models.Model):
    """高可靠性供电示范区 (陕西: 用户平均停电时间1小时以内): the feeders that supply it are its
    members, and so every customer on them. The target is the policy's `high_reliability_zones`."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.name


class Feeder(models.Model):
    """A 10 kV line out of a substation."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    substation = models.ForeignKey(Substation, on_delete=models.PROTECT, related_name="feeders")
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=12, choices=Area.choices)
    rating_a = models.PositiveIntegerField(default=0, help_text="thermal rating (A); 0 = unknown")
    zone = models.ForeignKey(ReliabilityZone, null=True, blank=True, on_delete=models.PROTECT, related_name="feeders")

    def __str__(self) -> str:
        return self.name


class Transformer(models.Model):
    class Ownership(models.TextChoices):
        PUBLIC = "public", "公用变"
        DEDICATED = "dedicated", "专用变"

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    feeder = models.ForeignKey(Feeder, on_delete=models.PROTECT, related_name="transformers")
    ownership = models.CharField(max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC)
    capacity_kva = models.PositiveIntegerField(default=0)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=12, choices=Area.choices)

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """An LV meter behind a transformer, or an MV customer fed from the feeder directly.
    The contact need not be a user of getpower: notices go to the phone/e-mail here."""

    class Kind(models.TextChoices):
        LV = "lv", "低压"
        MV = "mv", "中压"

    code = models.CharField(max_length=32, unique=True, help_text="户号")
    name = models.CharField(max_length=64)
    kind = models.CharField(max_length=2, choices=Kind.choices, default=Kind.LV)
    feeder = models.ForeignKey(Feeder, on_delete=models.PROTECT, related_name="customers")
    transformer = models.ForeignKey(Transformer, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="customers")
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=12, choices=Area.choices)
    contact_name = models.CharField(max_length=64, blank=True)
    # SM4-GCM ciphertext (core.pii), never the number in clear; `contact_phone` reads it.
    contact_phone_enc = models.TextField(blank=True, default="", help_text="SM4-GCM ciphertext")
    contact_email = models.EmailField(max_length=128, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="grid_customers")
    application = models.OneToOneField("applications.Application", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="grid_customer")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind="mv") | Q(transformer__isnull=False),
                                   name="lv_customer_has_transformer"),
            models.CheckConstraint(condition=Q(area__in=reliability.AREAS), name="customer_area_known"),
        ]
        indexes = [models.Index(fields=["county", "area"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def contact_phone(self) -> str:
        from core import pii

        return pii.decrypt(self.contact_phone_enc, key=settings.PII_KEY) if self.contact_phone_enc else ""

    @staticmethod
    def encrypt_phone(phone: str) -> str:
        from core import pii

        return pii.encrypt(phone, key=settings.PII_KEY) if phone else ""


class SchemeConnection(models.Model):
    """Where a supply scheme connects: a transformer (LV) or a feeder (MV). Kept here, not on the
    scheme, so applications never depend on the network app."""

    scheme = models.OneToOneField("applications.SupplyScheme", on_delete=models.CASCADE, related_name="connection")
    feeder = models.ForeignKey(Feeder, on_delete=models.PROTECT, related_name="+")
    transformer = models.ForeignKey(Transformer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Kind(models.TextChoices):
    PLANNED = "planned", "计划停电"
    FAULT = "fault", "故障停电"


class Cause(models.TextChoices):
    EQUIPMENT = "equipment", "设备故障"
    WEATHER = "weather", "自然灾害"
    EXTERNAL = "external", "外部影响"
    SUPPLY_SHORTAGE = "supply_shortage", "系统电源不足"
    MAINTENANCE = "maintenance", "计划检修"
    CONSTRUCTION = "construction", "工程施工"
    CUSTOMER = "customer", "用户影响"
    OTHER = "other", "其他"


assert tuple(Cause.values) == reliability.CAUSES


class Outage(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "待审批"
        APPROVED = "approved", "已批准"
        ACTIVE = "active", "停电中"
        ENDED = "ended", "已送电"
        CANCELLED = "cancelled", "已取消"
        MERGED = "merged", "已合并"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    cause = models.CharField(max_length=16, choices=Cause.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    reason = models.TextField(max_length=2000, blank=True)
    planned_start = models.DateTimeField(null=True, blank=True)
    planned_end = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    estimated_restoration = models.DateTimeField(null=True, blank=True)
    progress = models.CharField(max_length=200, blank=True, help_text="repair progress shown to customers")
    urgent_reason = models.TextField(max_length=2000, blank=True,
                                     help_text="why a plan is published later than the notice lead time")
    lawful_basis = models.CharField(max_length=200, blank=True, help_text="有序用电方案 for supply_shortage")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_works")
    customers_affected = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    source = models.CharField(max_length=32, default="operator", help_text="operator, or the OMS/SCADA system")
    external_id = models.CharField(max_length=64, blank=True, help_text="the OMS/SCADA event id (idempotency)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-planned_start", "-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="planned") | Q(planned_start__isnull=False, planned_end__isnull=False),
                                   name="planned_outage_has_window"),
            models.CheckConstraint(condition=Q(planned_end__isnull=True) | Q(planned_end__gt=models.F("planned_start")),
                                   name="outage_window_ends_after_start"),
            models.CheckConstraint(condition=~Q(cause="supply_shortage") | ~Q(lawful_basis=""),
                                   name="supply_shortage_has_lawful_basis"),
            models.UniqueConstraint(fields=["source", "external_id"], condition=~Q(external_id=""),
                                    name="outage_external_id_once"),
        ]

    def __str__(self) -> str:
        return self.title

    def message_link(self, user) -> str:
        """Where a notice links: the portal's list for a customer, the outage page for staff."""
        from django.urls import reverse

        if user is None:
            return reverse("outages:public")
        return reverse("outages:mine")


class OutageScope(models.Model):
    """What is switched off: exactly one of a feeder, a transformer or a customer."""

    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="scopes")
    feeder = models.ForeignKey(Feeder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    transformer = models.ForeignKey(Transformer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(feeder__isnull=False, transformer__isnull=True, customer__isnull=True)
                | Q(feeder__isnull=True, transformer__isnull=False, customer__isnull=True)
                | Q(feeder__isnull=True, transformer__isnull=True, customer__isnull=False),
                name="outage_scope_exactly_one"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def scope_type(self) -> str:
        return "feeder" if self.feeder_id else "transformer" if self.transformer_id else "customer"

    @property
    def target(self):
        return self.feeder or self.transformer or self.customer


class Interruption(models.Model):
    """One customer's interruption by one outage: the row the indices are summed over.
    Times are epoch seconds of local time (like `outages.reliability`), so the aggregates are
    the same integer arithmetic on SQLite and PostgreSQL. On PostgreSQL the table is
    partitioned by month of `start_s` (migration 0002)."""

    # No database FKs: a partitioned table of millions of rows is bulk-written by the outage
    # actions only, which hold the parent rows; the checks would double the load time.
    outage = models.ForeignKey(Outage, on_delete=models.PROTECT, related_name="interruptions", db_constraint=False)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="interruptions",
                                 db_constraint=False, db_index=False)
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+",
                               db_constraint=False, db_index=False)
    area = models.CharField(max_length=12)
    kind = models.CharField(max_length=8)
    cause = models.CharField(max_length=16)
    start_s = models.BigIntegerField()
    end_s = models.BigIntegerField(null=True, blank=True, help_text="empty while the customer is still off")
    # How far this customer's earlier long interruptions reach (the latest end among those that
    # started before this one; OPEN_REACH while one is still open), per view of the indices.
    # Kept by `queries.refresh_reach` whenever rows of a customer are added or ended, so the
    # yearly indices are one scan with plain sums: a row adds only what reaches past this.
    reach_all = models.BigIntegerField(null=True)
    reach_excl_external = models.BigIntegerField(null=True)
    reach_excl_shortage = models.BigIntegerField(null=True)
    reach_planned = models.BigIntegerField(null=True)
    reach_fault = models.BigIntegerField(null=True)
    reach_planned_excl_external = models.BigIntegerField(null=True)
    reach_planned_excl_shortage = models.BigIntegerField(null=True)
    reach_fault_excl_external = models.BigIntegerField(null=True)
    reach_fault_excl_shortage = models.BigIntegerField(null=True)
    # What a closed row adds to its view when the whole row lies inside the period: the seconds
    # past its reach, whether it starts a new interruption, whether it is short (and its kind).
    # Kept with the reach columns; they make a period's indices plain sums over the rows inside
    # it, and only the few rows crossing the period's ends or still open need the clipping.
    gain_all = models.BigIntegerField(db_default=0)
    gain_excl_external = models.BigIntegerField(db_default=0)
    gain_excl_shortage = models.BigIntegerField(db_default=0)
    # ... and in the view of its own kind (planned or fault), with the same exclusions.
    gain_kind = models.BigIntegerField(db_default=0)
    gain_kind_excl_external = models.BigIntegerField(db_default=0)
    gain_kind_excl_shortage = models.BigIntegerField(db_default=0)
    island_all = models.SmallIntegerField(db_default=0)
    island_kind = models.SmallIntegerField(db_default=0)
    short = models.SmallIntegerField(db_default=0)

    class Meta:
        indexes = [models.Index(fields=["start_s"], name="interruption_start"),
                   models.Index(fields=["customer", "start_s"], name="interruption_customer_start"),
                   # The longest closed row bounds where rows crossing a period's ends can start.
                   models.Index(models.F("end_s") - models.F("start_s"), name="interruption_duration"),
                   models.Index(fields=["start_s"], condition=Q(end_s__isnull=True), name="interruption_open")]
        # SQLite only (migration 0004): a covering index in (county, area, kind) order, so the
        # sums group without sorting the table; PostgreSQL hashes the groups instead.

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class AvoidedOutage(models.Model):
    """能转必转、能带不停: work done without cutting customers, and what it saved."""

    class Method(models.TextChoices):
        LIVE_WORKING = "live_working", "带电作业"
        LOAD_TRANSFER = "load_transfer", "负荷转供"
        MOBILE_GENERATION = "mobile_generation", "移动电源保供"

    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    outage = models.OneToOneField(Outage, null=True, blank=True, on_delete=models.PROTECT, related_name="avoided")
    method = models.CharField(max_length=20, choices=Method.choices)
    day = models.DateField()
    customers = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def customer_hours(self) -> float:
        return float(self.hours) * self.customers


class RepairOrder(models.Model):
    """网格化主动抢修: one work order, one crew (the grid cell's), one visit."""

    class Status(models.TextChoices):
        OPEN = "open", "待派工"
        DISPATCHED = "dispatched", "已派工"
        ON_SITE = "on_site", "已到达"
        REPAIRED = "repaired", "已修复"
        CLOSED = "closed", "已送电"

    outage = models.OneToOneField(Outage, on_delete=models.PROTECT, related_name="repair")
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    crew = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    repaired_at = models.DateTimeField(null=True, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Referral(models.Model):
    """Third-party damage or a violation referred to the authority responsible for it."""

    class Kind(models.TextChoices):
        ILLEGAL_WORKS = "illegal_works", "违章作业"
        RECKLESS_CONSTRUCTION = "reckless_construction", "野蛮施工"
        ILLEGAL_USE = "illegal_use", "违规用电"

    class Status(models.TextChoices):
        REFERRED = "referred", "已移交"
        ACCEPTED = "accepted", "已受理"
        CLOSED = "closed", "已办结"

    outage = models.ForeignKey(Outage, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    authority = models.CharField(max_length=64, help_text="e.g. 城管局, 公安局, 住建局")
    description = models.TextField(max_length=2000)
    evidence = models.JSONField(default=list, help_text="file names / photo references")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REFERRED)
    referred_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Reading(models.Model):
    """Imported load and voltage readings for the planners' lists."""

    class Quantity(models.TextChoices):
        LOAD = "load", "负载率(%)"
        VOLTAGE = "voltage", "电压(V)"

    transformer = models.ForeignKey(Transformer, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="readings")
    feeder = models.ForeignKey(Feeder, null=True, blank=True, on_delete=models.CASCADE, related_name="readings")
    quantity = models.CharField(max_length=8, choices=Quantity.choices)
    at = models.DateTimeField()
    value = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(transformer__isnull=False) | Q(feeder__isnull=False),
                                   name="reading_has_equipment"),
            # Two partial constraints: NULLs never collide, so one over both columns would let repeats in.
            models.UniqueConstraint(fields=["transformer", "quantity", "at"], condition=Q(transformer__isnull=False),
                                    name="transformer_reading_once"),
            models.UniqueConstraint(fields=["feeder", "quantity", "at"], condition=Q(transformer__isnull=True),
                                    name="feeder_reading_once"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Notice(models.Model):
    """One notice to one customer for one outage event: the unique key makes it exactly once,
    written in the transaction of the change (the outbox delivers it, CONTRACTS §3)."""

    outage = models.ForeignKey(Outage, on_delete=models.PROTECT, related_name="notices")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="notices")
    event = models.CharField(max_length=32, help_text="planned, fault, progress:<seq>, restored")
    kind = models.CharField(max_length=20)
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outage", "customer", "event"], name="notice_once")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
