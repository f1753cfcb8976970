"""An application's life: filing (业务受理), acceptance with the policy pinned, and the exits.

The status machine lives here: submitted → in_progress → energised, with rejected and
withdrawn as exits from any open state. Stages follow the policy version pinned at
acceptance; their due dates come from applications.deadlines (the one clock).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from accounts.identity import id_number_problem, uscc_problem
from accounts.models import Division, Organisation, User
from accounts.roles import Role
from applications import closing, deadlines, messages, queries, rules
from applications.actions.progress import finish_stage, start_next
from applications.models import (
    CAPACITY_KVA,
    VOLTAGE_KV,
    Application,
    AreaCategory,
    Channel,
    IdempotencyKey,
    Pause,
    Stage,
    Status,
)
from core import events, pii
from core.bounds import check_text
from core.errors import Conflict, InvalidInput, invalid
from workdays.schedule import get_schedule

STAFF_CHANNELS = {Channel.HALL, Channel.PHONE}


@dataclass(frozen=True)
class ApplicationInput:
    county: str
    site_address: str
    area_category: str
    voltage_kv: Decimal
    capacity_kva: Decimal
    applicant_kind: str
    applicant_name: str
    channel: str
    supply: str = "single"
    uscc: str = ""
    enterprise_size: str = ""
    id_number: str = ""
    contact_phone: str = ""
    business_type: str = "new"
    residential: bool = False
    important: bool = False
    sanling: bool = False
    no_works: bool = False
    conditional: bool = False
    in_park: bool = False
    utility: str = ""


# The longest text each field of the input may carry (the model's columns hold them).
TEXT_LIMITS = {
    "county": 12, "site_address": 255, "area_category": 16, "applicant_kind": 16, "applicant_name": 128,
    "channel": 16, "supply": 8, "uscc": 18, "enterprise_size": 8, "id_number": 18, "contact_phone": 20, "business_type": 16,
    "utility": 64,
}


def _validate(data: ApplicationInput, *, by: User) -> dict:
    fields: dict[str, str] = {}
    for name, limit in TEXT_LIMITS.items():
        try:
            check_text(name, getattr(data, name), max_length=limit)
        except InvalidInput as exc:
            fields.update(exc.fields)
    if fields:
        # Nothing else is checked on text that cannot be stored.
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields)
    if not data.site_address.strip():
        fields["site_address"] = "必填"
    if data.area_category not in AreaCategory.values:
        fields["area_category"] = f"应为以下之一：{'、'.join(str(x) for x in AreaCategory.labels)}"
    if data.applicant_kind not in Application.ApplicantKind.values:
        fields["applicant_kind"] = "应为个人或企业"
    if not data.applicant_name.strip():
        fields["applicant_name"] = "必填"
    if data.supply not in Application.Supply.values:
        fields["supply"] = "应为单电源或双电源"
    if data.business_type not in Application.BusinessType.values:
        fields["business_type"] = f"应为以下之一：{'、'.join(str(x) for x in Application.BusinessType.labels)}"
    if data.channel not in Channel.values:
        fields["channel"] = f"应为以下之一：{'、'.join(str(x) for x in Channel.labels)}"
    elif data.channel in STAFF_CHANNELS and not access.is_grid_staff(by) and Role.ADMIN not in by.roles:
        fields["channel"] = "营业厅和电话申请由工作人员录入"
    if data.applicant_kind == "enterprise":
        problem = uscc_problem(data.uscc) if data.uscc else "企业申请必填"
        if problem:
            fields["uscc"] = problem
    if data.enterprise_size and data.enterprise_size not in Application.EnterpriseSize.values:
        fields["enterprise_size"] = f"one of {', '.join(Application.EnterpriseSize.values)}"
    elif data.enterprise_size and data.applicant_kind != "enterprise":
        fields["enterprise_size"] = "only an enterprise has a size class"
    if data.applicant_kind == "person":
        problem = id_number_problem(data.id_number) if data.id_number else "个人申请必填"
        if problem:
            fields["id_number"] = problem
    elif data.id_number and (problem := id_number_problem(data.id_number)):
        fields["id_number"] = problem
    numbers = {}
    for name, bounds in (("voltage_kv", VOLTAGE_KV), ("capacity_kva", CAPACITY_KVA)):
        try:
            numbers[name] = bounds.check(name, getattr(data, name))
        except InvalidInput as exc:
            fields.update(exc.fields)
    if fields:
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields)
    return numbers


def _county_and_utility(*, county_code: str, utility_code: str) -> tuple[Division, Organisation]:
    county = Division.objects.filter(code=county_code, level=Division.Level.COUNTY).first()
    if county is None:
        raise invalid("county", f"未找到区县“{county_code}”")
    serving = list(
        Organisation.objects.filter(division=county, kind=Organisation.Kind.UTILITY).order_by("code")
    )
    if utility_code:
        chosen = [o for o in serving if o.code == utility_code or o.utility_root.code == utility_code]
        if not chosen:
            raise invalid("utility", f"该供电企业不服务{county.name}")
        return county, chosen[0]
    if not serving:
        raise invalid("county", f"{county.name}暂无供电企业")
    if len(serving) > 1:
        raise invalid("utility", f"{county.name}有多家供电企业，请选择一家")
    return county, serving[0]


def _normalise_site(address: str) -> str:
    return "".join(address.split()).upper()


def _request_digest(data: ApplicationInput) -> str:
    return hashlib.sha256(json.dumps(data.__dict__, sort_keys=True, default=str).encode()).hexdigest()


def application_create(*, by: User, data: ApplicationInput, idempotency_key: str = "") -> tuple[Application, bool]:
    """Register an application (the start of 业务受理). Returns (application, created).

    With an idempotency key, a repeat returns the first application; the same key with a
    different body is refused rather than silently answered with the wrong object."""
    access.require(by, "application.create")
    numbers = _validate(data, by=by)
    if idempotency_key:
        if len(idempotency_key) > 128:
            raise invalid("Idempotency-Key", "不能超过128个字符")
        existing = _idempotent_replay(by=by, key=idempotency_key, digest=_request_digest(data))
        if existing:
            return existing, False
    county, handling_org = _county_and_utility(county_code=data.county, utility_code=data.utility)
    now = timezone.now()
    version = rules.version_in_force(county.policy_region, timezone.localdate(now))
    category = rules.resolve_category(version, data=data, voltage_kv=numbers["voltage_kv"],
                                      capacity_kva=numbers["capacity_kva"])
    id_digest = pii.lookup_digest(data.id_number, key=settings.PII_KEY) if data.id_number else ""
    site_digest = hashlib.sha256(_normalise_site(data.site_address).encode()).hexdigest()
    try:
        with transaction.atomic():
            previous = _refiled_from(uscc=data.uscc, id_digest=id_digest, site_digest=site_digest)
            application = Application.objects.create(
                number=f"tmp-{now.timestamp()}-{by.pk}",
                region=county.policy_region,
                county=county,
                utility=handling_org.utility_root,
                handling_org=handling_org,
                applicant_user=by if Role.APPLICANT in by.roles and not access.is_grid_staff(by) else None,
                applicant_kind=data.applicant_kind,
                applicant_name=data.applicant_name.strip(),
                uscc=data.uscc.strip().upper(),
                enterprise_size=data.enterprise_size,
                id_number_enc=pii.encrypt(data.id_number.strip().upper(), key=settings.PII_KEY) if data.id_number else "",
                id_digest=id_digest,
                contact_phone_enc=pii.encrypt(data.contact_phone, key=settings.PII_KEY) if data.contact_phone else "",
                site_address=data.site_address.strip(),
                site_digest=site_digest,
                area_category=data.area_category,
                business_type=data.business_type,
                voltage_kv=numbers["voltage_kv"],
                capacity_kva=numbers["capacity_kva"],
                supply=data.supply,
                residential=data.residential,
                important=data.important,
                sanling=data.sanling,
                no_works=data.no_works,
                conditional=data.conditional,
                in_park=data.in_park,
                category=category.code,
                category_name=category.name,
                channel=data.channel,
                submitted_at=now,
                first_submitted_at=previous.first_submitted_at if previous else now,
                previous=previous,
                created_by=by,
                account_manager=by if Role.ACCOUNT_MANAGER in by.roles else None,
            )
            application.number = f"{county.policy_region[:2].upper()}{timezone.localdate(now):%Y%m%d}{application.pk:06d}"
            application.save(update_fields=["number"])
            acceptance = rules.stage_plan(version, category.code, application=application)[0]
            today = timezone.localdate(now)
            due = deadlines.stage_due(start=today, limit=acceptance.limit, unit=acceptance.unit,
                                      schedule=get_schedule())
            Stage.objects.create(
                application=application, seq=1, code=acceptance.code, name=acceptance.name,
                limit=acceptance.limit, unit=acceptance.unit, own_limit=acceptance.own_limit,
                state=Stage.State.ACTIVE, started_at=now, start_date=today, counts_from=today,
                base_due=due and due.base_due, due_date=due and due.due_date, provisional=bool(due and due.provisional),
                assignee=application.account_manager,
            )
            if idempotency_key:
                IdempotencyKey.objects.create(
                    key=idempotency_key, scope="application.create", user=by,
                    request_digest=_request_digest(data), application=application, created_at=now,
                )
            events.record(
                actor=by, verb="application.created", subject=application,
                data={"number": application.number, "category": category.code, "channel": data.channel,
                      "county": county.code, "previous": previous.number if previous else None},
            )
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its application.
        if idempotency_key:
            existing = _idempotent_replay(by=by, key=idempotency_key, digest=_request_digest(data))
            if existing:
                return existing, False
        raise
    return application, True


def _idempotent_replay(*, by: User, key: str, digest: str) -> Application | None:
    record = IdempotencyKey.objects.filter(scope="application.create", user=by, key=key).select_related(
        "application").first()
    if record is None:
        return None
    if record.request_digest != digest:
        raise Conflict("该提交标识已用于另一份不同的申请",
                       fields={"Idempotency-Key": "reused with a different body"}, code="idempotency_mismatch")
    return record.application


def _refiled_from(*, uscc: str, id_digest: str, site_digest: str) -> Application | None:
    """重走流程: the same customer and site filed again after a rejection or withdrawal."""
    customer = {"uscc": uscc.strip().upper()} if uscc else ({"id_digest": id_digest} if id_digest else None)
    if customer is None:
        return None
    return (
        Application.objects.filter(site_digest=site_digest, status__in=[Status.REJECTED, Status.WITHDRAWN], **customer)
        .order_by("-submitted_at")
        .first()
    )


def application_accept(*, application: Application, by: User, result: str = "") -> Application:
    """Complete 业务受理: pin the policy version in force today, lay out the remaining
    stages from it and start the next one."""
    access.require(by, "application.accept")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Status.SUBMITTED:
            raise Conflict(f"申请 {application.number} 当前为“{application.get_status_display()}”，不在待受理状态",
                           fields={"status": application.status})
        now = timezone.now()
        today = timezone.localdate(now)
        version = rules.version_in_force(application.region, today)
        category = rules.resolve_category(version, data=application, voltage_kv=application.voltage_kv,
                                          capacity_kva=application.capacity_kva)
        application.policy_version = version
        application.category, application.category_name = category.code, category.name
        application.accepted_at = now
        application.status = Status.IN_PROGRESS
        application.zero_investment, application.investment_boundary = rules.investment(version, application, today)
        if application.account_manager is None and Role.ACCOUNT_MANAGER in by.roles:
            application.account_manager = by
        if application.is_hv and application.project_manager is None:
            application.project_manager = _project_manager_for(application)
        application.save()
        plan = rules.stage_plan(version, category.code, application=application)
        acceptance = application.stages.get(seq=1)
        finish_stage(stage=acceptance, by=by, now=now, result=result or "受理")
        for seq, step in enumerate(plan[1:], start=2):
            Stage.objects.create(application=application, seq=seq, code=step.code, name=step.name,
                                 limit=step.limit, unit=step.unit, own_limit=step.own_limit)
        events.record(
            actor=by, verb="application.accepted", subject=application,
            data={"policy_version": version.version, "region": version.region, "category": category.code,
                  "stages": [s.code for s in plan], "zero_investment": application.zero_investment},
        )
        messages.accepted(application)
        start_next(application=application, after=acceptance, now=now)
    return application


def _project_manager_for(application: Application) -> User | None:
    return queries.first_staff(application.handling_org, Role.PROJECT_MANAGER)


def _close(*, application: Application, by: User, status: str, reason: str, verb: str) -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not application.is_open:
            raise Conflict(f"申请 {application.number} 已是“{application.get_status_display()}”", fields={"status": application.status})
        now = timezone.now()
        application.status = status
        application.closed_at = now
        application.closing_reason = reason
        application.save(update_fields=["status", "closed_at", "closing_reason"])
        application.stages.filter(state__in=[Stage.State.PENDING, Stage.State.ACTIVE, Stage.State.PAUSED]).update(
            state=Stage.State.CANCELLED)
        Pause.objects.filter(stage__application=application, ended_at__isnull=True).update(ended_at=now, ended_by=by)
        events.record(actor=by, verb=verb, subject=application, data={"reason": reason})
        # Unpaid fees, booked visits, live signing codes: ended with the file, each with its event.
        closing.run(application=application, by=by, now=now, reason=reason)
        (messages.rejected if status == Status.REJECTED else messages.withdrawn)(application)
    return application


def application_reject(*, application: Application, by: User, reason: str) -> Application:
    access.require(by, "application.reject")
    if not reason.strip():
        raise invalid("reason", "驳回须写明客户能看懂的原因")
    return _close(application=application, by=by, status=Status.REJECTED, reason=reason.strip(),
                  verb="application.rejected")


def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    access.require(by, "application.withdraw")
    return _close(application=application, by=by, status=Status.WITHDRAWN, reason=reason.strip(),
                  verb="application.withdrawn")
