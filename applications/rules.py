"""What the pinned policy version says for one application: the bridge between the
policy documents (policies.resolve, pure) and the application actions. No seed number
lives here; everything is read from the version."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounts.models import User
from accounts.roles import Role
from core import labels
from core.errors import invalid
from policies import power, resolve
from policies import queries as policy_queries
from policies.models import PolicyVersion
from policies.schema import PolicyDocument, Quantity

_DOCUMENTS: dict[tuple[int, str], PolicyDocument] = {}
# The application's "in a park / key project" flag stands for these policy condition codes.
PARK_CONDITIONS = ("provincial_park", "provincial_key_project", "provincial_industrial_park")
# Where the policy extends nothing for a category, the utility invests up to the connection point.
DEFAULT_BOUNDARY = "connection_point"


@dataclass(frozen=True)
class CategoryChoice:
    code: str
    name: str


@dataclass(frozen=True)
class StagePlan:
    code: str
    name: str
    limit: int | None  # None: neither the stage nor its category has a limit in the policy
    unit: str
    own_limit: bool  # False: the seed gives the stage no limit; the category total binds


@dataclass(frozen=True)
class AlertSettings:
    workdays_left: int
    share_used: float


def document(version: PolicyVersion) -> PolicyDocument:
    """Parsed once per stored version (the stored JSON never changes: it is hashed)."""
    key = (version.pk, version.sha256)
    if key not in _DOCUMENTS:
        _DOCUMENTS[key] = resolve.document(version.document)
    return _DOCUMENTS[key]


def version_in_force(region: str, on: date) -> PolicyVersion:
    """The one lookup of the version in force lives in policies.queries; applications pin it."""
    return policy_queries.version_in_force(region=region, on=on)


def power_factor(version: PolicyVersion) -> float | None:
    found = document(version).settings
    return found.power_factor.value if found is not None and found.power_factor is not None else None


def kw_for(version: PolicyVersion, kva) -> float | None:
    """What a kW threshold is compared with: the stored kVA times the policy's power factor (the
    factor the portal divided by when the applicant stated kW). None where the policy sets no
    factor: the kVA itself is compared then, the cautious reading (kW ≤ kVA)."""
    factor = power_factor(version)
    return None if factor is None else float(power.kw_from_kva(Decimal(str(kva)), factor))


def kva_for(version: PolicyVersion, kw: Decimal) -> Decimal:
    """The kVA an application stores for a capacity stated in kW."""
    factor = power_factor(version)
    if factor is None:
        raise invalid("capacity_kw", f"{version.region} {version.version} 未规定功率因数，无法由千瓦折算千伏安")
    return power.kva_from_kw(kw, factor)


def resolve_category(version: PolicyVersion, *, data, voltage_kv, capacity_kva) -> CategoryChoice:
    doc = document(version)
    try:
        code = resolve.resolve_category(
            doc, voltage_kv=float(voltage_kv), capacity_kva=float(capacity_kva), supply=data.supply,
            important=data.important, sanling=data.sanling, residential=data.residential,
            conditional=data.conditional, capacity_kw=kw_for(version, capacity_kva),
        )
    except resolve.ResolutionError as exc:
        raise invalid(exc.field, exc.message) from exc
    return CategoryChoice(code, doc.categories[code].name)


def stage_plan(version: PolicyVersion, category: str, *, application) -> list[StagePlan]:
    """The stages with their limits. A stage with its own limit counts from its own start; one
    without counts from the application day against the category total. Where 当日申请，次日接电
    binds the case (a no-works LV application), it bounds the whole process: every stage counts
    from the application day against the next-day limit, so the last one is due the next day."""
    doc = document(version)
    cat = doc.categories[category]
    total = cat.grid_side_limit or cat.full_process_limit
    next_day = doc.next_day_connection if resolve.next_day_applies(
        doc, voltage_kv=float(application.voltage_kv), no_works=bool(application.no_works)) else None
    plans = []
    for stage in resolve.stages_for(doc, category, important=application.important):
        if next_day is not None:
            plan = StagePlan(stage.code, stage.name, int(next_day.limit.value), next_day.limit.unit, False)
        elif stage.limit is not None:
            plan = StagePlan(stage.code, stage.name, int(stage.limit.value), stage.limit.unit, True)
        elif total is not None:
            plan = StagePlan(stage.code, stage.name, int(total.value), total.unit, False)
        else:
            plan = StagePlan(stage.code, stage.name, None, cat.unit, False)
        plans.append(plan)
    return plans


def full_process_limit(version: PolicyVersion, category: str, *, application) -> Quantity | None:
    """The per-case limit from the application day to energisation (全流程), if the policy sets one."""
    return resolve.full_process_limit(document(version), category, voltage_kv=float(application.voltage_kv),
                                      no_works=bool(application.no_works))


def allowed_documents(version: PolicyVersion, category: str, stage_code: str) -> set[str]:
    try:
        return set(resolve.allowed_documents(document(version), category, stage_code))
    except resolve.ResolutionError as exc:
        raise invalid("stage_code", exc.message) from exc


def stage_documents(version: PolicyVersion, category: str, stage_code: str) -> list[str]:
    """The documents the policy lists for one stage, in the policy's order."""
    try:
        return list(resolve.allowed_documents(document(version), category, stage_code))
    except resolve.ResolutionError:
        return []


def category_documents(version: PolicyVersion, category: str) -> list[str]:
    """Every document the policy lists for any stage of the category, in stage order: the
    most a customer-side pause may ask for (nothing beyond the policy)."""
    found: list[str] = []
    for stage in resolve.stages_for(document(version), category, important=True):
        for code in (stage.documents.required if stage.documents else []):
            if code not in found:
                found.append(code)
    return found


def shared_documents(version: PolicyVersion) -> set[str]:
    """四免: documents the policy says the utility obtains by government data sharing."""
    docs = document(version).documents
    sharing = getattr(docs, "sharing", None) if docs is not None else None
    return set(getattr(sharing, "documents", None) or [])


def one_certificate(version: PolicyVersion) -> str | None:
    """一证通办: the one document the applicant shows, where the policy says so."""
    docs = document(version).documents
    one = getattr(docs, "one_certificate", None) if docs is not None else None
    return getattr(one, "document", None)
def fee_catalogue(region: str, on: date):
    """The fee catalogue (policies.schema.FeeCatalogue) in force in `region` on the charging
    day: a fee is charged under the price rules of the day it is charged. None: no catalogue,
    so nothing may be charged."""
    return document(version_in_force(region, on)).fees


def document_names(version: PolicyVersion) -> dict[str, str]:
    return {code: t.name for code, t in document(version).document_types.items()}


def _settings(version: PolicyVersion):
    settings = document(version).settings
    if settings is None:
        raise invalid("policy", f"{labels.label('region', version.region)} {version.version} 版政策没有运行设置")
    return settings


def alert_settings(version: PolicyVersion) -> AlertSettings:
    s = _settings(version)
    return AlertSettings(int(s.warning_days_left.value), float(s.warning_share_used.value) / 100)


def escalation_limit(version: PolicyVersion) -> tuple[int, str]:
    limit = _settings(version).escalation_limit
    return int(limit.value), limit.unit


def two_person_stages(version: PolicyVersion, category: str) -> set[str]:
    return set(_settings(version).two_person_stages)


def pause_reasons(version: PolicyVersion) -> dict[str, tuple[str, bool]]:
    return {code: (r.name, r.needs_supervisor) for code, r in _settings(version).pause_reasons.items()}


def investment(version: PolicyVersion, application, on: date) -> tuple[bool, str]:
    """(zero investment?, investment boundary code) for the application."""
    doc = document(version)
    zero = resolve.zero_investment_applies(doc, category=application.category, area=application.area_category,
                                           capacity_kva=float(application.capacity_kva),
                                           capacity_kw=kw_for(version, application.capacity_kva))
    conditions = ("provincial_park", "provincial_key_project") if application.in_park else ()
    boundaries = resolve.investment_boundary(doc, application.category, conditions=conditions)
    # A conditional (park / key project) boundary, when it applies, is the more generous one.
    chosen = sorted(boundaries, key=lambda b: (not b.conditions, b.code))
    return zero, (chosen[0].boundary or chosen[0].code) if chosen else DEFAULT_BOUNDARY


# Who does each stage: the role, then the first active user of that role at the handling company.
STAGE_ROLES = {
    "acceptance": Role.ACCOUNT_MANAGER,
    "scheme_reply": Role.DESIGNER,
    "design_review": Role.DESIGNER,
    "midway_inspection": Role.INSPECTOR,
    "completion_inspection": Role.INSPECTOR,
    "connection": Role.INSTALLER,
    "construction_connection": Role.INSTALLER,
    "completion_connection": Role.INSTALLER,
}


def assignee_for(application, code: str) -> User | None:
    role = STAGE_ROLES.get(code, Role.ACCOUNT_MANAGER)
    user = (
        User.objects.filter(memberships__role=role, memberships__organisation=application.handling_org, is_active=True)
        .order_by("id").first()
    )
    return user or application.account_manager


def boundaries(version: PolicyVersion, category: str, *, in_park: bool) -> set[str]:
    """Investment boundaries a scheme may use: those the policy commits to for this category
    (park / key-project ones only in parks); a commitment may not be bargained down."""
    conditions = PARK_CONDITIONS if in_park else ()
    found = resolve.investment_boundary(document(version), category, conditions=conditions)
    return {b.boundary or b.code for b in found} or {DEFAULT_BOUNDARY}


def onsite_reply_allowed(application) -> bool:
    return resolve.onsite_scheme_reply_applies(
        document(application.policy_version), voltage_kv=float(application.voltage_kv), supply=application.supply,
        capacity_kva=float(application.capacity_kva))


def transitional_allowed(application) -> bool:
    return resolve.transitional_scheme_applies(
        document(application.policy_version), voltage_kv=float(application.voltage_kv), supply=application.supply,
        capacity_kva=float(application.capacity_kva))
