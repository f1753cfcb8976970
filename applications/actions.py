"""Every state change of an application: keyword-only, atomic, one event each.

The status machine lives here: submitted → in_progress → energised, with rejected and
withdrawn as exits from any open state. Stages follow the policy version pinned at
acceptance; their due dates come from applications.deadlines (the one clock).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from accounts.identity import id_number_problem, uscc_problem
from accounts.models import Division, Organisation, User
from accounts.roles import Role
from applications import deadlines, rules
from applications.models import (
    AreaCategory,
    Application,
    Channel,
    Document,
    Escalation,
    OPEN_STAGE_STATES,
    IdempotencyKey,
    Notification,
    Pause,
    Stage,
    Status,
)
from core import events, pii
from core.errors import Conflict, Forbidden, InvalidInput, PolicyViolation, invalid

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_CONTENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
STAFF_CHANNELS = {Channel.HALL, Channel.PHONE}


# ---------------------------------------------------------------- creation

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


def _decimal(field: str, value) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, f"not a number: {value!r}")
    if not number.is_finite() or number <= 0:
        raise invalid(field, "must be a positive number")
    return number


def _validate(data: ApplicationInput, *, by: User) -> dict:
    fields: dict[str, str] = {}
    if not data.site_address.strip():
        fields["site_address"] = "required"
    if data.area_category not in AreaCategory.values:
        fields["area_category"] = f"one of {', '.join(AreaCategory.values)}"
    if data.applicant_kind not in Application.ApplicantKind.values:
        fields["applicant_kind"] = "person or enterprise"
    if not data.applicant_name.strip():
        fields["applicant_name"] = "required"
    if data.supply not in Application.Supply.values:
        fields["supply"] = "single or dual"
    if data.business_type not in Application.BusinessType.values:
        fields["business_type"] = f"one of {', '.join(Application.BusinessType.values)}"
    if data.channel not in Channel.values:
        fields["channel"] = f"one of {', '.join(Channel.values)}"
    elif data.channel in STAFF_CHANNELS and not access.is_grid_staff(by) and Role.ADMIN not in by.roles:
        fields["channel"] = "hall and phone applications are entered by staff"
    if data.applicant_kind == "enterprise":
        problem = uscc_problem(data.uscc) if data.uscc else "required for an enterprise"
        if problem:
            fields["uscc"] = problem
    if data.applicant_kind == "person":
        problem = id_number_problem(data.id_number) if data.id_number else "required for a person"
        if problem:
            fields["id_number"] = problem
    elif data.id_number and (problem := id_number_problem(data.id_number)):
        fields["id_number"] = problem
    numbers = {}
    for name in ("voltage_kv", "capacity_kva"):
        try:
            numbers[name] = _decimal(name, getattr(data, name))
        except InvalidInput as exc:
            fields.update(exc.fields)
    if fields:
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields)
    return numbers


def _county_and_utility(*, county_code: str, utility_code: str) -> tuple[Division, Organisation]:
    county = Division.objects.filter(code=county_code, level=Division.Level.COUNTY).first()
    if county is None:
        raise invalid("county", f"unknown county {county_code!r}")
    serving = list(
        Organisation.objects.filter(division=county, kind=Organisation.Kind.UTILITY).order_by("code")
    )
    if utility_code:
        chosen = [o for o in serving if o.code == utility_code or o.utility_root.code == utility_code]
        if not chosen:
            raise invalid("utility", f"{utility_code!r} does not serve {county.name}")
        return county, chosen[0]
    if not serving:
        raise invalid("county", f"no utility serves {county.name}")
    if len(serving) > 1:
        names = ", ".join(o.utility_root.code for o in serving)
        raise invalid("utility", f"several utilities serve {county.name}; choose one of {names}")
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
            raise invalid("Idempotency-Key", "at most 128 characters")
        existing = _idempotent_replay(by=by, key=idempotency_key, digest=_request_digest(data))
        if existing:
            return existing, False
    county, handling_org = _county_and_utility(county_code=data.county, utility_code=data.utility)
    now = timezone.now()
    version = rules.version_in_force(county.policy_region, deadlines.local_date(now))
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
            application.number = f"{county.policy_region[:2].upper()}{deadlines.local_date(now):%Y%m%d}{application.pk:06d}"
            application.save(update_fields=["number"])
            acceptance = rules.stage_plan(version, category.code, application=application)[0]
            today = deadlines.local_date(now)
            due = deadlines.stage_due(start=today, limit=acceptance.limit, unit=acceptance.unit)
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
        raise Conflict("Idempotency-Key was already used with a different request",
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


# ---------------------------------------------------------------- acceptance and stages

def application_accept(*, application: Application, by: User, result: str = "") -> Application:
    """Complete 业务受理: pin the policy version in force today, lay out the remaining
    stages from it and start the next one."""
    access.require(by, "application.accept")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Status.SUBMITTED:
            raise Conflict(f"{application.number} is {application.status}, not awaiting acceptance",
                           fields={"status": application.status})
        now = timezone.now()
        today = deadlines.local_date(now)
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
        _finish_stage(stage=acceptance, by=by, now=now, result=result or "受理")
        for seq, step in enumerate(plan[1:], start=2):
            Stage.objects.create(application=application, seq=seq, code=step.code, name=step.name,
                                 limit=step.limit, unit=step.unit, own_limit=step.own_limit)
        events.record(
            actor=by, verb="application.accepted", subject=application,
            data={"policy_version": version.version, "region": version.region, "category": category.code,
                  "stages": [s.code for s in plan], "zero_investment": application.zero_investment},
        )
        _start_next(application=application, after=acceptance, now=now)
    return application


def _project_manager_for(application: Application) -> User | None:
    return (
        User.objects.filter(memberships__role=Role.PROJECT_MANAGER,
                            memberships__organisation=application.handling_org, is_active=True)
        .order_by("id").first()
    )


def _finish_stage(*, stage: Stage, by: User, now, result: str, checked_by: User | None = None,
                  evidence_date: date | None = None) -> None:
    held = deadlines.workdays_between(stage.start_date, deadlines.local_date(now))
    stage.state = Stage.State.DONE
    stage.ended_at = now
    stage.completed_by = by
    stage.checked_by = checked_by
    stage.result = result
    stage.evidence_date = evidence_date
    stage.grid_workdays = max(held - stage.paused_workdays, 0)
    if stage.due_date is not None and deadlines.local_date(now) > stage.due_date:
        stage.alert = Stage.Alert.OVERDUE
    stage.save()


def _start_next(*, application: Application, after: Stage, now) -> Stage | None:
    nxt = application.stages.filter(seq__gt=after.seq).order_by("seq").first()
    if nxt is None:
        application.status = Status.ENERGISED
        application.energised_at = now
        application.closed_at = now
        application.save(update_fields=["status", "energised_at", "closed_at"])
        events.record(actor=None, verb="application.energised", subject=application,
                      data={"number": application.number})
        return None
    start = deadlines.local_date(now)
    nxt.counts_from = start if nxt.own_limit else application.stages.get(seq=1).counts_from
    due = deadlines.stage_due(start=nxt.counts_from, limit=nxt.limit, unit=nxt.unit)
    nxt.state = Stage.State.ACTIVE
    nxt.started_at = now
    nxt.start_date = start
    nxt.base_due, nxt.due_date, nxt.provisional = (due.base_due, due.due_date, due.provisional) if due else (
        None, None, False)
    nxt.assignee = rules.assignee_for(application, nxt.code)
    nxt.save()
    events.record(actor=None, verb="stage.started", subject=application,
                  data={"stage": nxt.code, "due": nxt.due_date, "provisional": nxt.provisional})
    return nxt


def _require_stage_in_policy(*, application: Application, code: str, by: User) -> None:
    """Checked before the action's transaction so the refusal's event is not rolled back."""
    if not application.stages.filter(code=code).exists():
        raise _refuse_not_in_policy(application=application, what="stage", value=code, by=by,
                                    allowed=list(application.stages.values_list("code", flat=True)))


def _active_stage(application: Application, code: str) -> Stage:
    return application.stages.select_for_update().get(code=code)


def stage_complete(*, application: Application, code: str, by: User, result: str = "",
                   checked_by: User | None = None, evidence_date: date | None = None,
                   claimed_at=None) -> Stage:
    access.require(by, "stage.complete")
    if code == "acceptance":
        application_accept(application=application, by=by, result=result)
        return application.stages.get(code=code)
    _require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        stage = _active_stage(application, code)
        if stage.state == Stage.State.PAUSED:
            raise Conflict(f"stage {code} is paused; resume it first", fields={"stage": "paused"})
        if stage.state != Stage.State.ACTIVE:
            raise Conflict(f"stage {code} is {stage.state}, not active", fields={"stage": stage.state})
        if code in rules.two_person_stages(application.policy_version, application.category):
            if checked_by is None:
                raise invalid("checked_by", f"{stage.name} needs a second person to check it")
            if checked_by.pk == by.pk:
                raise invalid("checked_by", "the checker must not be the person completing the stage")
        now = timezone.now()
        _finish_stage(stage=stage, by=by, now=now, result=result, checked_by=checked_by,
                      evidence_date=evidence_date)
        events.record(actor=by, verb="stage.completed", subject=application, claimed_at=claimed_at,
                      data={"stage": code, "result": result, "grid_workdays": stage.grid_workdays,
                            "due": stage.due_date, "evidence_date": evidence_date,
                            "checked_by": checked_by.username if checked_by else None})
        _start_next(application=application, after=stage, now=now)
    return stage


def stage_pause(*, application: Application, code: str, by: User, reason: str, note: str = "",
                approved_by: User | None = None) -> Pause:
    """Stop the grid-side clock for a customer-side reason from the fixed list."""
    access.require(by, "stage.pause")
    reasons = rules.pause_reasons(application.policy_version) if application.policy_version else {}
    if reason not in Pause.Reason.values or (reasons and reason not in reasons):
        raise invalid("reason", f"not a customer-side reason; one of {', '.join(reasons or Pause.Reason.values)}")
    if reasons.get(reason, ("", reason == Pause.Reason.FORCE_MAJEURE))[1]:
        if approved_by is None or not access.can(approved_by, "pause.approve_force_majeure"):
            raise invalid("approved_by", f"{reasons[reason][0] if reason in reasons else reason}: needs a supervisor's approval")
    _require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        stage = _active_stage(application, code)
        if stage.state != Stage.State.ACTIVE:
            raise Conflict(f"stage {code} is {stage.state}; only an active stage can be paused",
                           fields={"stage": stage.state})
        now = timezone.now()
        pause = Pause.objects.create(stage=stage, reason=reason, note=note, started_at=now, started_by=by,
                                     approved_by=approved_by)
        stage.state = Stage.State.PAUSED
        stage.save(update_fields=["state"])
        events.record(actor=by, verb="stage.paused", subject=application,
                      data={"stage": code, "reason": reason, "note": note,
                            "approved_by": approved_by.username if approved_by else None})
    return pause


def stage_resume(*, application: Application, code: str, by: User) -> Stage:
    access.require(by, "stage.resume")
    _require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        stage = _active_stage(application, code)
        pause = stage.pauses.filter(ended_at__isnull=True).first()
        if stage.state != Stage.State.PAUSED or pause is None:
            raise Conflict(f"stage {code} is not paused", fields={"stage": stage.state})
        now = timezone.now()
        pause.ended_at, pause.ended_by = now, by
        pause.workdays = deadlines.workdays_between(deadlines.local_date(pause.started_at), deadlines.local_date(now))
        pause.save()
        stage.paused_workdays += pause.workdays
        due = deadlines.stage_due(start=stage.counts_from, limit=stage.limit, unit=stage.unit,
                                  paused_workdays=stage.paused_workdays)
        before = stage.due_date
        if due is not None:
            stage.base_due, stage.due_date, stage.provisional = due.base_due, due.due_date, due.provisional
        stage.state = Stage.State.ACTIVE
        stage.alert = stage_alert(stage, deadlines.local_date(now))
        stage.save()
        events.record(actor=by, verb="stage.resumed", subject=application,
                      data={"stage": code, "paused_workdays": pause.workdays, "due_before": before,
                            "due_after": stage.due_date})
    return stage


def _close(*, application: Application, by: User, status: str, reason: str, verb: str) -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not application.is_open:
            raise Conflict(f"{application.number} is already {application.status}", fields={"status": application.status})
        now = timezone.now()
        application.status = status
        application.closed_at = now
        application.closing_reason = reason
        application.save(update_fields=["status", "closed_at", "closing_reason"])
        application.stages.filter(state__in=[Stage.State.PENDING, Stage.State.ACTIVE, Stage.State.PAUSED]).update(
            state=Stage.State.CANCELLED)
        Pause.objects.filter(stage__application=application, ended_at__isnull=True).update(ended_at=now, ended_by=by)
        events.record(actor=by, verb=verb, subject=application, data={"reason": reason})
    return application


def application_reject(*, application: Application, by: User, reason: str) -> Application:
    access.require(by, "application.reject")
    if not reason.strip():
        raise invalid("reason", "a rejection needs a reason the applicant can read")
    return _close(application=application, by=by, status=Status.REJECTED, reason=reason.strip(),
                  verb="application.rejected")


def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    access.require(by, "application.withdraw")
    return _close(application=application, by=by, status=Status.WITHDRAWN, reason=reason.strip(),
                  verb="application.withdrawn")


# ---------------------------------------------------------------- documents

def _refuse_not_in_policy(*, application: Application, what: str, value: str, by: User | None = None,
                          allowed=()) -> PolicyViolation:
    """Log the attempt in its own transaction (it must survive the refusal) and build the error."""
    with transaction.atomic():
        events.record(actor=by, verb="policy.refused", subject=application,
                      data={"what": what, "value": value, "category": application.category})
    hint = f"; the policy lists: {', '.join(allowed)}" if allowed else ""
    return PolicyViolation(f"{what} {value!r} is not in the policy for {application.category_name}{hint}",
                           fields={what: f"{value!r} is not in the policy"})


def document_upload(*, application: Application, by: User, stage_code: str, doc_type: str, upload) -> Document:
    """Accept a document only if the policy lists it for this stage and category."""
    access.require(by, "application.upload")
    allowed = rules.allowed_documents(application.policy_version or rules.version_in_force(
        application.region, deadlines.local_date(application.submitted_at)), application.category, stage_code)
    if doc_type not in allowed:
        raise _refuse_not_in_policy(application=application, what="doc_type", value=doc_type, by=by,
                                    allowed=sorted(allowed))
    if upload.size > MAX_UPLOAD_BYTES:
        raise invalid("file", f"larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    head = upload.read(8)
    upload.seek(0)
    sniffed = ("application/pdf" if head.startswith(b"%PDF") else "image/png" if head.startswith(b"\x89PNG")
               else "image/jpeg" if head.startswith(b"\xff\xd8") else "")
    if content_type not in ALLOWED_CONTENT_TYPES or sniffed != content_type:
        raise invalid("file", "only PDF, JPEG or PNG files whose content matches their type")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = Document.objects.create(
            application=application, stage_code=stage_code, doc_type=doc_type, file=upload,
            original_name=upload.name[:255], content_type=content_type, size=upload.size,
            sha256=digest.hexdigest(), uploaded_by=by, uploaded_at=timezone.now(),
        )
        events.record(actor=by, verb="document.uploaded", subject=application,
                      data={"stage": stage_code, "doc_type": doc_type, "sha256": document.sha256,
                            "size": document.size})
    return document


# ---------------------------------------------------------------- warnings and 督办

def stage_alert(stage: Stage, today: date) -> str:
    """warning / overdue / none for an open stage today, by the pinned policy's warning rule."""
    if stage.due_date is None:
        return Stage.Alert.NONE
    if today > stage.due_date:
        return Stage.Alert.OVERDUE
    settings_ = rules.alert_settings(stage.application.policy_version)
    left = deadlines.workdays_between(today, stage.due_date)
    total = max(deadlines.workdays_between(stage.counts_from, stage.due_date), 1)
    used = deadlines.workdays_between(stage.counts_from, today) - stage.paused_workdays
    if left <= settings_.workdays_left or used / total >= settings_.share_used:
        return Stage.Alert.WARNING
    return Stage.Alert.NONE


def _notify(*, recipient: User | None, application: Application, kind: str, message: str, key: str, now) -> bool:
    if recipient is None:
        return False
    _, created = Notification.objects.get_or_create(
        dedupe_key=key,
        defaults={"recipient": recipient, "application": application, "kind": kind, "message": message,
                  "created_at": now},
    )
    return created


def county_supervisor(application: Application) -> User | None:
    return (
        User.objects.filter(memberships__role=Role.SUPERVISOR, memberships__organisation=application.handling_org,
                            is_active=True).order_by("id").first()
    )


def stages_check_deadlines(*, today: date | None = None) -> dict[str, int]:
    """The periodic sweep: mark warning/overdue, notify assignees, open 督办 for overdue
    stages. Idempotent: notifications and escalations are keyed, so a second run sends nothing."""
    now = timezone.now()
    today = today or deadlines.local_date(now)
    counts = {"warning": 0, "overdue": 0, "notified": 0, "escalated": 0}
    active = Stage.objects.filter(state=Stage.State.ACTIVE, application__status=Status.IN_PROGRESS).select_related(
        "application", "application__policy_version", "assignee")
    for stage in active.iterator(chunk_size=500):
        alert = stage_alert(stage, today)
        if alert == Stage.Alert.NONE:
            continue
        counts[alert] += 1
        application = stage.application
        with transaction.atomic():
            if stage.alert != alert:
                Stage.objects.filter(pk=stage.pk).update(alert=alert)
                events.record(actor=None, verb=f"stage.{alert}", subject=application,
                              data={"stage": stage.code, "due": stage.due_date, "today": today})
            recipient = stage.assignee or application.account_manager
            text = (f"{application.number} {stage.name} 将于 {stage.due_date} 到期" if alert == Stage.Alert.WARNING
                    else f"{application.number} {stage.name} 已超期（应于 {stage.due_date} 前完成）")
            if _notify(recipient=recipient, application=application, kind=f"stage_{alert}", message=text,
                       key=f"stage:{stage.pk}:{alert}:{stage.due_date}", now=now):
                counts["notified"] += 1
            if alert == Stage.Alert.OVERDUE and not Escalation.objects.filter(stage=stage).exists():
                n, unit = rules.escalation_limit(application.policy_version)
                supervisor = county_supervisor(application)
                escalation = Escalation.objects.create(
                    stage=stage, supervisor=supervisor, opened_at=now,
                    due_date=deadlines.add(today, n, unit),
                )
                counts["escalated"] += 1
                events.record(actor=None, verb="escalation.opened", subject=application,
                              data={"stage": stage.code, "due": escalation.due_date,
                                    "supervisor": supervisor.username if supervisor else None})
                _notify(recipient=supervisor, application=application, kind="escalation",
                        message=f"督办：{application.number} {stage.name} 超期，请于 {escalation.due_date} 前督促办结",
                        key=f"escalation:{escalation.pk}", now=now)
    return counts


def escalation_reply(*, escalation: Escalation, by: User, reply: str) -> Escalation:
    access.require(by, "escalation.reply")
    if not reply.strip():
        raise invalid("reply", "required")
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.state == Escalation.State.CLOSED:
            raise Conflict("this 督办 is closed", fields={"state": "closed"})
        escalation.reply, escalation.replied_by, escalation.replied_at = reply.strip(), by, timezone.now()
        escalation.state = Escalation.State.REPLIED
        escalation.save()
        events.record(actor=by, verb="escalation.replied", subject=escalation.stage.application,
                      data={"stage": escalation.stage.code, "reply": escalation.reply})
    return escalation


def escalation_close(*, escalation: Escalation, by: User) -> Escalation:
    access.require(by, "escalation.close")
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        escalation.state, escalation.closed_at = Escalation.State.CLOSED, timezone.now()
        escalation.save()
        events.record(actor=by, verb="escalation.closed", subject=escalation.stage.application,
                      data={"stage": escalation.stage.code})
    return escalation


def stage_assign(*, application: Application, code: str, by: User, assignee: User) -> Stage:
    access.require(by, "application.reassign")
    _require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        stage = _active_stage(application, code)
        before = stage.assignee.username if stage.assignee else None
        stage.assignee = assignee
        stage.save(update_fields=["assignee"])
        events.record(actor=by, verb="stage.assigned", subject=application,
                      data={"stage": code, "before": before, "after": assignee.username})
    return stage


# ---------------------------------------------------------------- supply schemes, projects, fees

@dataclass(frozen=True)
class SchemeInput:
    label: str
    connection_point: str
    boundary: str
    customer_cost: Decimal
    utility_cost: Decimal
    description: str = ""


def _check_scheme(application: Application, scheme: SchemeInput, index: int) -> dict:
    prefix = f"schemes[{index}]"
    fields = {}
    if not scheme.label.strip():
        fields[f"{prefix}.label"] = "required"
    if not scheme.connection_point.strip():
        fields[f"{prefix}.connection_point"] = "required"
    allowed = rules.boundaries(application.policy_version, application.category, in_park=application.in_park)
    if scheme.boundary not in allowed:
        fields[f"{prefix}.boundary"] = f"not an investment boundary of the policy; one of {', '.join(sorted(allowed))}"
    try:
        customer, utility = Decimal(str(scheme.customer_cost)), Decimal(str(scheme.utility_cost))
    except InvalidOperation:
        fields[f"{prefix}.customer_cost"] = "not a number"
        return fields
    if customer < 0 or utility < 0:
        fields[f"{prefix}.customer_cost"] = "costs cannot be negative"
    elif application.zero_investment and customer > 0:
        # 三零: the utility invests to the boundary; nothing of the connection works is the customer's.
        fields[f"{prefix}.customer_cost"] = "zero-investment customer: the connection works cost the customer nothing"
    return fields


def scheme_propose(*, application: Application, by: User, schemes: list[SchemeInput], onsite: bool = False,
                   transitional: bool = False) -> list:
    """Put one or several supply schemes to the applicant during 供电方案答复. `onsite`
    answers at the site survey where the policy allows it and completes the stage."""
    from applications.models import SupplyScheme

    access.require(by, "scheme.propose")
    if not schemes:
        raise invalid("schemes", "at least one scheme")
    if application.policy_version is None:
        raise Conflict("accept the application first", fields={"status": application.status})
    fields: dict[str, str] = {}
    for index, scheme in enumerate(schemes):
        fields.update(_check_scheme(application, scheme, index))
    labels = [s.label.strip() for s in schemes]
    if len(set(labels)) != len(labels):
        fields["schemes"] = "labels must differ"
    if onsite and not rules.onsite_reply_allowed(application):
        raise _refuse_not_in_policy(application=application, what="onsite", value="现场答复", by=by)
    if transitional and not rules.transitional_allowed(application):
        raise _refuse_not_in_policy(application=application, what="transitional", value="过渡方案", by=by)
    if fields:
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        stage = application.stages.filter(code="scheme_reply").first()
        if stage is None or stage.state not in OPEN_STAGE_STATES:
            raise Conflict("schemes are proposed while 供电方案答复 is open", fields={"stage": "scheme_reply"})
        now = timezone.now()
        created = [
            SupplyScheme.objects.create(
                application=application, label=s.label.strip(), connection_point=s.connection_point.strip(),
                boundary=s.boundary, customer_cost=Decimal(str(s.customer_cost)),
                utility_cost=Decimal(str(s.utility_cost)), description=s.description, onsite=onsite,
                transitional=transitional, proposed_by=by, proposed_at=now,
            )
            for s in schemes
        ]
        events.record(actor=by, verb="scheme.proposed", subject=application,
                      data={"schemes": [{"label": s.label, "boundary": s.boundary, "customer_cost": s.customer_cost,
                                         "utility_cost": s.utility_cost} for s in created],
                            "onsite": onsite, "transitional": transitional})
        if onsite and stage.state == Stage.State.ACTIVE:
            _finish_stage(stage=stage, by=by, now=now, result="现场答复供电方案")
            events.record(actor=by, verb="stage.completed", subject=application,
                          data={"stage": stage.code, "result": stage.result, "onsite": True,
                                "grid_workdays": stage.grid_workdays, "due": stage.due_date})
            _start_next(application=application, after=stage, now=now)
    return created


def scheme_choose(*, application: Application, by: User, label: str):
    from applications.models import SupplyScheme

    access.require(by, "scheme.choose")
    with transaction.atomic():
        scheme = SupplyScheme.objects.select_for_update().filter(application=application, label=label).first()
        if scheme is None:
            raise invalid("label", f"no scheme {label!r} for {application.number}")
        now = timezone.now()
        SupplyScheme.objects.filter(application=application, chosen=True).update(chosen=False)
        scheme.chosen, scheme.chosen_by, scheme.chosen_at = True, by, now
        scheme.save()
        events.record(actor=by, verb="scheme.chosen", subject=application, data={"label": label})
    return scheme


def grid_project_open(*, application: Application, by: User, kind: str, name: str, planned_end: date | None = None):
    from applications.models import GridProject

    access.require(by, "project.update")
    if kind not in GridProject.Kind.values:
        raise invalid("kind", f"one of {', '.join(GridProject.Kind.values)}")
    if not name.strip():
        raise invalid("name", "required")
    if kind == GridProject.Kind.UPGRADE and not application.schemes.filter(transitional=True).exists():
        raise invalid("kind", "an upgrade project follows a transitional scheme (过渡方案)")
    with transaction.atomic():
        project = GridProject.objects.create(application=application, kind=kind, name=name.strip(),
                                             opened_at=timezone.now(), planned_end=planned_end)
        events.record(actor=by, verb="project.opened", subject=application,
                      data={"project": project.pk, "kind": kind, "name": project.name, "planned_end": planned_end})
    return project


def grid_project_update(*, project, by: User, filed_on: date | None = None, construction_start: date | None = None,
                        construction_end: date | None = None):
    access.require(by, "project.update")
    changes = {k: v for k, v in {"filed_on": filed_on, "construction_start": construction_start,
                                 "construction_end": construction_end}.items() if v is not None}
    if not changes:
        raise invalid("filed_on", "give at least one date")
    start = changes.get("construction_start", project.construction_start)
    end = changes.get("construction_end", project.construction_end)
    if end is not None and (start is None or end < start):
        raise invalid("construction_end", "must be on or after construction_start")
    with transaction.atomic():
        before = {k: getattr(project, k) for k in changes}
        for key, value in changes.items():
            setattr(project, key, value)
        project.save()
        events.record(actor=by, verb="project.updated", subject=project.application,
                      data={"project": project.pk, "before": before, "after": changes})
    return project


def fee_add(*, application: Application, by: User, item: str, amount):
    """Charge an item of the region's fee catalogue (明码标价), by its code or its published
    name; anything else is refused and the attempt logged. The basis and whether it is a works
    charge come from the catalogue, never from the person typing."""
    from applications.models import Fee

    access.require(by, "fee.add")
    amount = _decimal("amount", amount)
    item = (item or "").strip()
    if not item:
        raise invalid("item", "required")
    catalogue = rules.fee_catalogue(application.region, timezone.localdate())
    items = catalogue.items if catalogue is not None else {}
    code = item if item in items else next((c for c, entry in items.items() if entry.name == item), None)
    if code is None:
        raise _refuse_not_in_policy(application=application, what="item", value=item, by=by,
                                    allowed=[entry.name for entry in items.values()])
    entry = items[code]
    if entry.works and application.zero_investment:
        raise invalid("item", "zero-investment customer: no charge for connection works")
    with transaction.atomic():
        fee = Fee.objects.create(application=application, item=entry.name, catalogue_code=code, amount=amount,
                                 basis=entry.basis, works=entry.works, added_by=by, added_at=timezone.now())
        events.record(actor=by, verb="fee.added", subject=application,
                      data={"item": fee.item, "code": code, "amount": fee.amount, "basis": fee.basis,
                            "works": entry.works})
    return fee


def contractor_choose(*, application: Application, by: User, role: str, name: str, uscc: str = ""):
    """Record the applicant's free choice of designer / builder / supplier; a later choice
    replaces the earlier one (both are in the event log)."""
    from applications.models import ContractorChoice

    if application.applicant_user_id is None or application.applicant_user_id != by.pk:
        raise Forbidden("只有用电客户本人可以选择设计、施工、供货单位；供电企业不得指定",
                        fields={"by": "applicant only (三指定 ban)"})
    if role not in ContractorChoice.Role.values:
        raise invalid("role", f"one of {', '.join(ContractorChoice.Role.values)}")
    name = (name or "").strip()
    if not name or len(name) > 128 or "\x00" in name:
        raise invalid("name", "1–128 characters")
    uscc = (uscc or "").strip().upper()
    if uscc and uscc_problem(uscc):
        raise invalid("uscc", uscc_problem(uscc))
    with transaction.atomic():
        before = ContractorChoice.objects.filter(application=application, role=role).first()
        choice, _ = ContractorChoice.objects.update_or_create(
            application=application, role=role,
            defaults={"name": name, "uscc": uscc, "chosen_by": by, "chosen_at": timezone.now()})
        events.record(actor=by, verb="contractor.chosen", subject=application,
                      data={"role": role, "name": name, "uscc": uscc, "replaces": before.name if before else None})
    return choice


def stages_recompute_due(year: int) -> int:
    """A year's official schedule replaced its provisional one: every open stage whose due
    date was computed on a provisional calendar is recomputed; changes are logged."""
    changed = 0
    for stage in Stage.objects.filter(state__in=OPEN_STAGE_STATES, provisional=True).select_related("application"):
        if stage.limit is None or stage.counts_from is None:
            continue
        due = deadlines.stage_due(start=stage.counts_from, limit=stage.limit, unit=stage.unit,
                                  paused_workdays=stage.paused_workdays)
        if (due.due_date, due.provisional) == (stage.due_date, stage.provisional):
            continue
        with transaction.atomic():
            before = stage.due_date
            Stage.objects.filter(pk=stage.pk).update(base_due=due.base_due, due_date=due.due_date,
                                                     provisional=due.provisional)
            events.record(actor=None, verb="stage.due_recomputed", subject=stage.application,
                          data={"stage": stage.code, "year": year, "due_before": before, "due_after": due.due_date,
                                "provisional": due.provisional})
        changed += 1
    return changed
