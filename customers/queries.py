"""Reads for the portal: the "before you submit" preview from the policy in force, the
applicant's cards, and documents already held (四免). All numbers come from the policy."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone

from accounts import queries as account_queries
from accounts.models import Division, User
from applications import deadlines, rules
from applications.models import CAPACITY_KVA, Application, Document, Stage, Status, current_stage
from core import labels, outbox
from core.errors import DomainError, invalid
from core.models import OutboxMessage
from customers.models import Profile, Rating
from policies import resolve
from workdays.schedule import get_schedule

# Standard nominal voltages the seeds' categories use (GB/T 156), offered in the form;
# which one is suggested for a capacity is read from the policy.
VOLTAGES = (Decimal("0.22"), Decimal("0.38"), Decimal("10"), Decimal("35"), Decimal("110"))
UNIT_NAMES = {"workday": "个工作日", "day": "天（自然日）"}


def profile_of(user: User) -> Profile | None:
    """The applicant's verified identity (实名认证), if any."""
    return Profile.objects.filter(user=user).first()


def rating_of(application: Application) -> Rating | None:
    return Rating.objects.filter(application=application).first()


def held_document_types(user: User, *, exclude_application: Application | None = None) -> set[str]:
    """四免 (already submitted and still held): document types this applicant uploaded on
    their other applications are not asked again."""
    qs = Document.objects.filter(application__applicant_user=user)
    if exclude_application is not None:
        qs = qs.exclude(application=exclude_application)
    return set(qs.values_list("doc_type", flat=True))


def counties() -> list[Division]:
    return list(Division.objects.filter(level=Division.Level.COUNTY).select_related("parent").order_by("code"))


@dataclass
class DocumentNeed:
    code: str
    name: str
    held: bool


@dataclass
class StagePreview:
    code: str
    name: str
    limit: int | None
    unit: str
    unit_name: str
    own_limit: bool
    documents: list[DocumentNeed]


@dataclass
class Preview:
    region: str
    version: str
    effective_from: date
    capacity_kw: Decimal | None = None
    capacity_kva: Decimal | None = None  # what the application will store (kW ÷ the policy's power factor)
    power_factor: float | None = None
    suggested_voltage: Decimal | None = None
    voltage_reason: str = ""
    category: str = ""
    category_name: str = ""
    category_unit: str = ""
    grid_side_limit: str = ""
    stages: list[StagePreview] = field(default_factory=list)
    zero_investment: bool | None = None
    boundary: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def _number(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def suggested_voltage(doc, *, kva: Decimal, kw: Decimal, sanling: bool = False,
                      residential: bool = False) -> tuple[Decimal | None, str]:
    """LV up to the policy's LV connection capacity (低压接入容量), else the lowest
    standard voltage of the HV class; the national rule where the policy states no capacity.
    A bound in kW is compared with the kW the applicant stated, one in kVA with the kVA."""
    classes = doc.voltage_classes
    if classes is None:
        return None, ""
    lv = [v for v in VOLTAGES if v <= Decimal(str(classes.lv.max.value))]
    hv = [v for v in VOLTAGES if v >= Decimal(str(classes.hv.min.value))]
    if doc.connection is None:
        # The region states no LV connection capacity: the national rule, and the form says so.
        fallback = settings.LV_CONNECTION_FALLBACK
        value, unit = Decimal(str(fallback["value"])), fallback["unit"]
        why = f"该地区政策未规定低压接入容量，按国家规定建议（{fallback['reason']}）"
    else:
        bound = doc.connection.lv_capacity_max
        value, unit, why = Decimal(str(bound.value)), bound.unit, ""
    shown = f"{value:g} {labels.label('unit', unit)}"
    if (kva if unit == "kVA" else kw) <= value:
        if doc.connection is not None and doc.connection.sanling and not (sanling or residential):
            return None, f"{shown}及以下低压接入只适用于“三零”服务用户，请按供电方案选择电压等级"
        reason = f"{shown}及以下原则上低压接入（{classes.lv.name}）"
        return lv[-1], f"{why}：{reason}" if why else reason
    reason = f"超过{shown}，高压接入（{classes.hv.name}）"
    return hv[0], f"{why}：{reason}" if why else reason


def capacity_kva(*, county: str, kw, on: date) -> Decimal:
    """The kVA an application stores for the kW the applicant states, by the power factor of the
    policy in force in the county; bounded like every stored capacity, the error naming the field."""
    found = account_queries.county_by_code(county)
    if found is None:
        raise invalid("county", "请选择用电地址所在区县")
    kva = rules.kva_for(rules.version_in_force(found.policy_region, on), Decimal(kw))
    if kva > CAPACITY_KVA.high:
        raise invalid("capacity_kw", f"折合 {kva:g} 千伏安，超过单个申请的上限 {CAPACITY_KVA.high:g} 千伏安")
    return kva


def preview(*, user: User, values: dict, on: date) -> Preview | None:
    """What the policy in force says for the form as filled so far; None until a county is chosen."""
    county = account_queries.county_by_code(values.get("county"))
    if county is None:
        return None
    version = rules.version_in_force(county.policy_region, on)
    doc = rules.document(version)
    result = Preview(region=doc.name, version=version.version, effective_from=version.effective_from)
    kw = _number(values.get("capacity_kw"))
    if kw is None:
        result.errors["capacity_kw"] = "请填写用电容量（kW）"
        return result
    capacity = rules.kva_for(version, kw)
    result.capacity_kw, result.capacity_kva, result.power_factor = kw, capacity, rules.power_factor(version)
    result.suggested_voltage, result.voltage_reason = suggested_voltage(
        doc, kva=capacity, kw=kw, sanling=bool(values.get("sanling")), residential=bool(values.get("residential"))
    )
    voltage = _number(values.get("voltage_kv")) if values.get("voltage_kv") not in ("", "auto", None) else None
    voltage = voltage or result.suggested_voltage
    if voltage is None:
        result.errors["voltage_kv"] = "请选择电压等级"
        return result
    flags = {name: bool(values.get(name)) for name in ("residential", "sanling", "important", "conditional",
                                                         "no_works", "in_park")}
    facts = SimpleNamespace(supply=values.get("supply") or "single", voltage_kv=voltage, capacity_kva=capacity,
                            area_category=values.get("area_category") or "", **flags)
    try:
        choice = rules.resolve_category(version, data=facts, voltage_kv=voltage, capacity_kva=capacity)
    except DomainError as exc:
        result.errors.update(exc.fields or {"category": exc.message})
        return result
    category = doc.categories[choice.code]
    result.category, result.category_name, result.category_unit = choice.code, choice.name, category.unit
    total = category.grid_side_limit or category.full_process_limit
    if total is not None:
        result.grid_side_limit = f"{total.value:g} {UNIT_NAMES.get(total.unit, total.unit)}"
    facts.category = choice.code
    facts.is_hv = voltage >= 1
    names = rules.document_names(version)
    held = held_document_types(user)
    for plan in rules.stage_plan(version, choice.code, application=facts):
        needs = [DocumentNeed(code, names.get(code, code), code in held)
                 for code in resolve.allowed_documents(doc, choice.code, plan.code)]
        result.stages.append(StagePreview(plan.code, plan.name, plan.limit, plan.unit,
                                          UNIT_NAMES.get(plan.unit, plan.unit), plan.own_limit, needs))
    if facts.area_category:
        result.zero_investment, boundary = rules.investment(version, facts, on)
        result.boundary = boundary_name(doc, boundary)
    return result


def boundary_name(doc, code: str) -> str:
    for boundary in doc.investment_boundary:
        if code in (boundary.boundary, boundary.code):
            return boundary.name
    return {"connection_point": "投资至产权分界点（接入点）"}.get(code, code)


@dataclass(frozen=True)
class Segment:
    name: str
    state: str
    get_state_display: str


@dataclass
class Card:
    application: Application
    stages: list[Segment]
    done: int
    current: Stage | None
    workdays_left: int | None
    overdue: bool

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.stages)) if self.stages else 0


def card(application: Application, today: date) -> Card:
    stages = list(application.stages.all())
    current = current_stage(stages)
    left, overdue = None, False
    if current is not None and current.due_date is not None:
        overdue = today > current.due_date
        left = max(deadlines.workdays_left(current.due_date, today, schedule=get_schedule()), 0)
    done = sum(1 for s in stages if s.state == Stage.State.DONE)
    segments = [Segment(s.name, s.state, s.get_state_display()) for s in stages]
    if application.status == Status.SUBMITTED:
        # Before acceptance only 受理 exists; the rest of the bar is the policy's plan.
        version = rules.version_in_force(application.region, timezone.localdate(application.submitted_at))
        planned = rules.stage_plan(version, application.category, application=application)
        segments += [Segment(p.name, Stage.State.PENDING, Stage.State.PENDING.label) for p in planned[len(stages):]]
    return Card(application, segments, done, current, left, overdue)


def my_applications(user: User) -> list[Application]:
    """The applicant's own applications (staff opening the portal see only what they applied for)."""
    return list(Application.objects.filter(applicant_user=user).select_related("county")
                .prefetch_related("stages").order_by("-submitted_at", "-id"))


def my_notifications(user: User, *, application: Application | None = None, limit: int = 20) -> list[OutboxMessage]:
    """The user's in-app messages (core.outbox), newest first; about one application if given."""
    qs = outbox.inbox(user)
    if application is not None:
        qs = qs.filter(subject_type=Application._meta.label_lower, subject_id=str(application.pk))
    return list(qs[:limit])


# ---------------------------------------------------------------- answering online

@dataclass
class UploadChoice:
    """One document the applicant may be asked for on an open stage, and where it stands."""
    value: str              # "stage_code:doc_type", what the upload form posts
    stage: str
    code: str
    name: str
    shared: bool = False    # 四免: obtained by government data sharing, never asked
    held: bool = False      # 四免: already submitted on another application and still held
    uploaded: bool = False
    requested: bool = False  # asked for by the open 等待客户补充资料 pause
    shared_from: str = ""    # the government system a shared copy was fetched from (sharing app)

    @property
    def needed(self) -> bool:
        return not (self.shared or self.held)


@dataclass
class PauseRequest:
    stage: str
    reason: str
    note: str
    started_at: object
    documents: list[UploadChoice]


def _version(application: Application):
    return application.policy_version or rules.version_in_force(
        application.region, timezone.localdate(application.submitted_at))


def upload_choices(application: Application, *, held: set[str], uploaded: set[str],
                   sources: dict[str, str] | None = None) -> list[UploadChoice]:
    """Per open stage, what the policy lists for it plus what an open pause asked for."""
    if not application.is_open:
        return []
    version = _version(application)
    names = rules.document_names(version)
    shared = rules.shared_documents(version)
    choices: list[UploadChoice] = []
    for stage in application.stages.filter(state__in=[Stage.State.ACTIVE, Stage.State.PAUSED]):
        asked = set()
        pause = stage.pauses.filter(ended_at__isnull=True).first() if stage.state == Stage.State.PAUSED else None
        if pause is not None:
            asked = set(pause.requested_documents)
        codes = sorted(rules.allowed_documents(version, application.category, stage.code))
        codes += [code for code in pause.requested_documents if code not in codes] if pause else []
        for code in codes:
            choices.append(UploadChoice(
                value=f"{stage.code}:{code}", stage=stage.name, code=code, name=names.get(code, code),
                shared=code in shared, held=code in held and code not in asked, uploaded=code in uploaded,
                requested=code in asked, shared_from=(sources or {}).get(code, "")))
    return choices


def pause_requests(application: Application, choices: list[UploadChoice]) -> list[PauseRequest]:
    """What the open customer-side pauses ask of the applicant, in words."""
    requests = []
    by_value = {c.value: c for c in choices}
    version = _version(application)
    reasons = {code: name for code, (name, _n) in rules.pause_reasons(version).items()} if application.policy_version \
        else {}
    for stage in application.stages.filter(state=Stage.State.PAUSED):
        pause = stage.pauses.filter(ended_at__isnull=True).first()
        if pause is None:
            continue
        documents = [by_value[f"{stage.code}:{code}"] for code in pause.requested_documents
                     if f"{stage.code}:{code}" in by_value]
        requests.append(PauseRequest(stage=stage.name, reason=reasons.get(pause.reason) or pause.get_reason_display(),
                                     note=pause.note, started_at=pause.started_at, documents=documents))
    return requests


def one_certificate(application: Application) -> dict | None:
    """一证通办 as the policy says it: the one document shown, and what data sharing brings."""
    version = _version(application)
    one = rules.one_certificate(version)
    if one is None:
        return None
    names = rules.document_names(version)
    return {"document": names.get(one, one),
            "shared": [names.get(code, code) for code in sorted(rules.shared_documents(version))]}


def paperwork(application: Application) -> dict:
    """Fees (paid or not), the supply contract and the booked visit, for the application page."""
    from appointments.models import Booking
    from contracts.models import Contract
    from payments.models import Payment

    paid = set(Payment.objects.filter(application=application, state=Payment.State.SUCCEEDED)
               .values_list("fee_id", flat=True))
    return {
        "fees": [(fee, fee.pk in paid) for fee in application.fees.all()],
        "contract": Contract.objects.filter(application=application).first(),
        "booking": Booking.objects.filter(application=application, cancelled_at__isnull=True)
                   .select_related("slot__manager").first(),
        "schemes": list(application.schemes.all()),
    }
