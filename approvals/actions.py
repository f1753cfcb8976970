"""Every state change of a power-access approval: keyword-only, atomic, one event each.

request_submit routes the works under the policy in force and opens one case per
department at once (并联审批); case_decide records a department's decision; the sweep
(`cases_check_overdue`) marks late cases and escalates them to the department supervisor;
after the works, staff record completion and restoration and push the completion
information to the approving departments inside the policy's months.
"""
from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate as local_date

from accounts import access
from accounts.models import Membership, Organisation, User
from accounts.roles import GOVERNMENT, Role
from applications.actions import ALLOWED_CONTENT_TYPES, MAX_UPLOAD_BYTES
from applications.models import Application
from applications.models import Status as ApplicationStatus
from approvals.document import DOSSIER_NAMES
from approvals.labels import label
from approvals.models import (
    DECIDED,
    ApprovalRequest,
    CaseStatus,
    DepartmentCase,
    DossierDocument,
    ProcessTime,
    RequestStatus,
)
from core import events, outbox
from core.errors import Conflict, Forbidden, PolicyViolation, invalid
from policies import queries as policy_queries
from policies.resolve import ResolutionError
from policies.routing import MAX_KW, MAX_LENGTH_M, add_months, check_crossings, route
from workdays.schedule import get_schedule

MAX_TEXT = 2000
OPEN_APPLICATION = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_PROGRESS)


def _text(field: str, value: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise invalid(field, "不能包含空字符（NUL）")
    if len(value) > limit:
        raise invalid(field, f"不能超过 {limit} 个字符")
    if required and not value:
        raise invalid(field, "必填")
    return value


def _decimal(field: str, value, upper: float) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, f"不是数字：{value!r}") from None
    if not number.is_finite() or number < 0:
        raise invalid(field, "不能小于 0")
    if number > Decimal(str(upper)):
        raise invalid(field, f"不能大于 {upper:g}")
    return number


def department_organisation(application: Application, department: str) -> Organisation | None:
    """The department's office nearest the site: the county's, else the city's, else the province's."""
    chain = application.county.ancestors_and_self()
    offices = {
        org.division_id: org
        for org in Organisation.objects.filter(
            kind=Organisation.Kind.GOV_DEPARTMENT, department=department, division__in=chain
        ).order_by("code")
    }
    return next((offices[d.id] for d in chain if d.id in offices), None)


def government_organisations(user: User) -> set[int]:
    return set(
        Membership.objects.filter(user=user, role__in=GOVERNMENT).values_list("organisation_id", flat=True)
    )


# ---------------------------------------------------------------- submission and parallel cases

def request_submit(
    *,
    application: Application,
    by: User,
    kw,
    length_m,
    crossings: list[str] | tuple[str, ...] = (),
    interested_parties: bool = False,
    sanling: bool | None = None,
) -> ApprovalRequest:
    """Route the works of `application` and, unless exempt, open every department's case at once."""
    access.require(by, "approval.route")
    if application.status not in OPEN_APPLICATION:
        raise Conflict(f"申请 {application.number} 已{application.get_status_display()}",
                       fields={"application": "申请已办结"})
    kw = _decimal("kw", kw, MAX_KW)
    length_m = _decimal("length_m", length_m, MAX_LENGTH_M)
    sanling = application.sanling if sanling is None else bool(sanling)
    now = timezone.now()
    today = local_date(now)
    version = policy_queries.version_in_force(region=application.region, on=today)
    try:
        routing = route(
            version.document, voltage_kv=float(application.voltage_kv), kw=float(kw), length_m=float(length_m),
            sanling=sanling, interested_parties=bool(interested_parties), crossings=list(crossings),
            submitted=today, schedule=get_schedule(),
        )
    except ResolutionError as exc:
        raise invalid(exc.field, exc.message) from exc
    offices = {}
    for department in routing.departments:
        office = department_organisation(application, department)
        if office is None:
            raise Conflict(
                f"no {label('department', department)} office is registered for {application.county.name} or above",
                fields={"departments": f"{department}: no office registered"},
            )
        offices[department] = office
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        # One live route per application (a repeated submit is refused, not doubled); only a
        # rejected route may be submitted again, changed.
        if locked.approval_requests.exclude(status=RequestStatus.REJECTED).exists():
            raise Conflict("本申请已有审批流程",
                           fields={"application": "审批进行中"})
        data = routing.as_json()
        request = ApprovalRequest.objects.create(
            number=f"tmp-{now.timestamp()}-{by.pk}",
            application=application, policy_version=version, voltage_kv=application.voltage_kv, kw=kw,
            length_m=length_m, sanling=sanling, interested_parties=bool(interested_parties),
            crossings=check_crossings(list(crossings)), routes=routing.routes,
            exempt=routing.exempt, rule=routing.rule, source=routing.source[:500], routing=data,
            submitted_on=today, submitted_at=now, submitted_by=by,
            status=RequestStatus.EXEMPT if routing.exempt else RequestStatus.IN_APPROVAL, due_date=routing.due,
        )
        request.number = f"SP{today:%Y%m%d}{request.pk:06d}"
        request.save(update_fields=["number"])
        limits = [limit.as_json() for limit in routing.limits]
        for department, office in offices.items():
            case = DepartmentCase.objects.create(
                request=request, department=department, organisation=office, limits=limits,
                due_date=routing.due, provisional=routing.provisional, opened_at=now,
            )
            due = f"，请于{routing.due:%Y年%m月%d日}前办结" if routing.due else ""
            for officer in office_staff(office):
                outbox.enqueue(
                    kind="approval_case_opened", user=officer, subject=case,
                    key=f"approval_case:{case.pk}:opened:{officer.pk}",
                    text=f"新的电力接入工程审批 {request.number}：{application.applicant_name}，"
                         f"{application.site_address}{due}。",
                )
        events.record(actor=by, verb="approval.submitted", subject=application, data={
            "request": request.number, "routes": routing.routes, "exempt": routing.exempt,
            "departments": routing.departments, "due": routing.due, "rule": routing.rule,
            "crossings": request.crossings, "kw": kw, "length_m": length_m,
        })
    return request


def _settle(request: ApprovalRequest, *, by: User, now) -> None:
    """A request is rejected once any department rejects, approved once all have approved."""
    statuses = list(request.cases.values_list("status", flat=True))
    if CaseStatus.REJECTED in statuses:
        new = RequestStatus.REJECTED
    elif statuses and all(s in DECIDED for s in statuses):
        new = RequestStatus.APPROVED
    else:
        return
    if request.status != new:
        request.status = new
        request.save(update_fields=["status"])
        events.record(actor=by, verb=f"approval.{new}", subject=request.application,
                      data={"request": request.number})


def _require_department_member(case: DepartmentCase, by: User) -> None:
    if case.organisation_id not in government_organisations(by):
        raise Forbidden("只有受理本事项的部门可以作出决定",
                        fields={"organisation": case.organisation.name})


def case_decide(*, case: DepartmentCase, by: User, decision: str, conditions: str = "", reason: str = "") -> DepartmentCase:
    """Approve, approve with conditions, or reject with a reason."""
    access.require(by, "approval.decide")
    _require_department_member(case, by)
    if decision not in DECIDED:
        raise invalid("decision", "请选择：同意、附条件同意或不同意")
    conditions = _text("conditions", conditions, required=decision == CaseStatus.APPROVED_WITH_CONDITIONS)
    reason = _text("reason", reason, required=decision == CaseStatus.REJECTED)
    now = timezone.now()
    with transaction.atomic():
        case = DepartmentCase.objects.select_for_update().select_related("request").get(pk=case.pk)
        if case.status != CaseStatus.PENDING:
            raise Conflict(f"已作出决定：{case.get_status_display()}", fields={"decision": "已作出决定"})
        case.status = decision
        case.conditions = conditions if decision == CaseStatus.APPROVED_WITH_CONDITIONS else ""
        case.reason = reason if decision == CaseStatus.REJECTED else ""
        case.decided_at, case.decided_by = now, by
        if case.due_date is not None and local_date(now) > case.due_date:
            case.overdue = True
        case.save()
        events.record(actor=by, verb="approval_case.decided", subject=case.request.application, data={
            "request": case.request.number, "department": case.department, "decision": decision,
            "conditions": case.conditions, "reason": case.reason, "due": case.due_date, "late": case.overdue,
        })
        application = case.request.application
        said = case.conditions or case.reason
        text = (f"您的电力接入工程审批 {case.request.number}：{case.organisation.name}"
                f"{case.get_status_display()}{'：' + said if said else ''}。")
        for person in {u for u in (application.applicant_user, application.account_manager) if u is not None}:
            outbox.enqueue(kind="approval_decided", user=person, subject=case, text=text[:2000],
                           key=f"approval_case:{case.pk}:decided:{person.pk}")
        _settle(case.request, by=by, now=now)
    return case


def office_staff(organisation: Organisation) -> list[User]:
    """The officers and supervisors of a department's office: who receives its cases."""
    return list(User.objects.filter(memberships__role__in=GOVERNMENT, memberships__organisation=organisation,
                                    is_active=True).distinct().order_by("id"))


def department_supervisors(organisation: Organisation) -> list[User]:
    return list(User.objects.filter(memberships__role=Role.GOV_SUPERVISOR, memberships__organisation=organisation,
                                    is_active=True).order_by("id"))


def cases_check_overdue(*, today: date | None = None) -> dict[str, int]:
    """Mark every undecided case past its due date overdue and escalate it to its department's
    supervisor, once. Safe to run as often as wanted."""
    now = timezone.now()
    today = today or local_date(now)
    escalated = 0
    late = DepartmentCase.objects.filter(status=CaseStatus.PENDING, due_date__lt=today, overdue=False)
    for case in late.select_related("request__application", "organisation"):
        with transaction.atomic():
            updated = DepartmentCase.objects.filter(pk=case.pk, overdue=False).update(overdue=True, escalated_at=now)
            if not updated:
                continue
            supervisors = department_supervisors(case.organisation)
            for chief in supervisors:
                outbox.enqueue(
                    kind="approval_case_escalated", user=chief, subject=case,
                    key=f"approval_case:{case.pk}:escalated:{chief.pk}",
                    text=f"督办：电力接入工程审批 {case.request.number} 应于{case.due_date:%Y年%m月%d日}前办结，"
                         f"{case.organisation.name}尚未作出决定。",
                )
            events.record(actor="job:approvals", verb="approval_case.escalated", subject=case.request.application,
                          data={"request": case.request.number, "department": case.department, "due": case.due_date,
                                "to": [str(u) for u in supervisors]})
            escalated += 1
    return {"escalated": escalated}


# ---------------------------------------------------------------- 告知承诺 / 备案 dossier

def dossier_documents(request: ApprovalRequest) -> list[str]:
    """The documents the policy lists for a 告知承诺 filing; nothing beyond them may be asked."""
    nc = request.policy_version.policy().approvals
    return list(nc.notification_commitment.documents) if nc and nc.notification_commitment else []


def _files_online(request: ApprovalRequest) -> bool:
    return bool({"notification_commitment", "filing"} & set(request.routes))


def dossier_upload(*, request: ApprovalRequest, by: User, doc_type: str, upload) -> DossierDocument:
    access.require(by, "approval.file")
    if not _files_online(request):
        raise Conflict("该工程不走告知承诺 / 备案办理", fields={"request": "不走告知承诺 / 备案"})
    allowed = dossier_documents(request)
    if doc_type not in allowed:
        listed = "、".join(DOSSIER_NAMES.get(d, d) for d in allowed) or "无"
        raise PolicyViolation(f"{doc_type!r} 不在政策所列备案材料之内（{listed}）",
                              fields={"doc_type": f"不在政策所列备案材料之内：{listed}"})
    if upload.size > MAX_UPLOAD_BYTES:
        raise invalid("file", f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    head = upload.read(8)
    upload.seek(0)
    sniffed = ("application/pdf" if head.startswith(b"%PDF") else "image/png" if head.startswith(b"\x89PNG")
               else "image/jpeg" if head.startswith(b"\xff\xd8") else "")
    if content_type not in ALLOWED_CONTENT_TYPES or sniffed != content_type:
        raise invalid("file", "只接受内容与类型相符的 PDF、JPEG 或 PNG 文件")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = DossierDocument.objects.create(
            request=request, doc_type=doc_type, file=upload, original_name=upload.name[:255],
            sha256=digest.hexdigest(), uploaded_by=by, uploaded_at=timezone.now(),
        )
        events.record(actor=by, verb="approval.dossier_filed", subject=request.application,
                      data={"request": request.number, "doc_type": doc_type, "sha256": document.sha256})
    return document


def filing_issue(*, request: ApprovalRequest, by: User) -> ApprovalRequest:
    """Issue the filing certificate (备案证明) once every listed document is on file."""
    access.require(by, "approval.file")
    if not _files_online(request):
        raise Conflict("该工程不走告知承诺 / 备案办理", fields={"request": "不走告知承诺 / 备案"})
    held = set(request.dossier.values_list("doc_type", flat=True))
    missing = [d for d in dossier_documents(request) if d not in held]
    if missing:
        missing_names = "、".join(DOSSIER_NAMES.get(d, d) for d in missing)
        raise Conflict(f"缺少材料：{missing_names}", fields={"dossier": missing_names})
    now = timezone.now()
    with transaction.atomic():
        locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
        if locked.filing_number:
            return locked
        locked.filing_number = f"BA{locked.number}"
        locked.filed_at = now
        locked.save(update_fields=["filing_number", "filed_at"])
        events.record(actor=by, verb="approval.filing_issued", subject=locked.application,
                      data={"request": locked.number, "filing_number": locked.filing_number})
    return locked


# ---------------------------------------------------------------- after the works

def push_months(request: ApprovalRequest):
    approvals = request.policy_version.policy().approvals
    if approvals is None:
        return None
    if approvals.completion_push is not None:
        return approvals.completion_push.within
    if approvals.notification_commitment is not None and approvals.notification_commitment.report_within:
        return approvals.notification_commitment.report_within
    return None


def works_complete(*, request: ApprovalRequest, by: User, completed_on: date) -> ApprovalRequest:
    """Record the end of the works; the completion push falls due the policy's months later."""
    access.require(by, "approval.file")
    today = local_date(timezone.now())
    if completed_on > today:
        raise invalid("completed_on", "不能晚于今天")
    if completed_on < request.submitted_on:
        raise invalid("completed_on", "早于审批提交日期")
    if request.status in (RequestStatus.IN_APPROVAL, RequestStatus.REJECTED):
        raise Conflict("审批通过（或免于审批）后才能登记施工完成",
                       fields={"request": request.get_status_display()})
    months = push_months(request)
    with transaction.atomic():
        locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
        if locked.works_completed_on is not None:
            raise Conflict("施工完成已登记", fields={"completed_on": "已登记"})
        locked.works_completed_on = completed_on
        if months is not None:
            locked.completion_push_due = add_months(completed_on, int(months.value), get_schedule())
        locked.save(update_fields=["works_completed_on", "completion_push_due"])
        events.record(actor=by, verb="approval.works_completed", subject=locked.application,
                      data={"request": locked.number, "completed_on": completed_on,
                            "push_due": locked.completion_push_due,
                            "source": months.source if months is not None else None})
    return locked


def restoration_record(*, request: ApprovalRequest, by: User, restored_on: date, note: str) -> ApprovalRequest:
    """Road and green space restored to the original standard after the works."""
    access.require(by, "approval.file")
    note = _text("note", note, required=True, limit=1000)
    if request.works_completed_on is None:
        raise Conflict("请先登记施工完成", fields={"restored_on": "尚未登记施工完成"})
    if restored_on < request.works_completed_on or restored_on > local_date(timezone.now()):
        raise invalid("restored_on", "应在施工完成日期与今天之间")
    with transaction.atomic():
        request.restored_on, request.restoration_note = restored_on, note
        request.save(update_fields=["restored_on", "restoration_note"])
        events.record(actor=by, verb="approval.restored", subject=request.application,
                      data={"request": request.number, "restored_on": restored_on, "note": note})
    return request


def push_recipients(request: ApprovalRequest) -> list[Organisation]:
    """The approving departments: every case's office, plus the policy's named recipients."""
    offices = {case.organisation_id: case.organisation for case in request.cases.select_related("organisation")}
    approvals = request.policy_version.policy().approvals
    named = approvals.completion_push.recipients if approvals and approvals.completion_push else []
    for department in named:
        office = department_organisation(request.application, department)
        if office is not None:
            offices.setdefault(office.pk, office)
    return list(offices.values())


def completion_push(*, request: ApprovalRequest, by: User, survey: str) -> ApprovalRequest:
    """Push the construction information and completion survey to the approving departments."""
    access.require(by, "approval.file")
    survey = _text("survey", survey, required=True)
    if request.works_completed_on is None:
        raise Conflict("请先登记施工完成", fields={"survey": "尚未登记施工完成"})
    recipients = push_recipients(request)
    if not recipients:
        raise Conflict("没有可推送的审批部门", fields={"survey": "没有接收部门"})
    now = timezone.now()
    with transaction.atomic():
        locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
        if locked.completion_pushed_at is not None:
            return locked
        locked.completion_pushed_at, locked.completion_survey = now, survey
        locked.save(update_fields=["completion_pushed_at", "completion_survey"])
        late = locked.completion_push_due is not None and local_date(now) > locked.completion_push_due
        for office in recipients:
            for person in office_staff(office):
                outbox.enqueue(
                    kind="approval_completion_push", user=person, subject=locked,
                    key=f"approval:{locked.pk}:completion_push:{person.pk}",
                    text=(f"电力接入工程 {locked.number}（{locked.application.site_address}）已于"
                          f"{locked.works_completed_on:%Y年%m月%d日}竣工。施工信息和竣工测量结果：{survey}")[:2000],
                )
        events.record(actor=by, verb="approval.completion_pushed", subject=locked.application,
                      data={"request": locked.number, "to": [o.code for o in recipients],
                            "due": locked.completion_push_due, "late": late})
    return locked


# ---------------------------------------------------------------- full-process time

def process_time_record(*, application: Application) -> ProcessTime:
    """Store the full-process time of an energised application (run by the energised hook)."""
    from approvals import queries

    now = timezone.now()
    timed = queries.process_time(application, today=local_date(now))
    values = dict(
        start=timed.start, end=timed.end, calendar_days=timed.days.total, working_days=timed.workdays.total,
        grid_side=timed.grid_side, unit=timed.unit, approval_days=timed.days.approval,
        approval_workdays=timed.workdays.approval, customer_days=timed.days.customer,
        customer_workdays=timed.workdays.customer, counts_approval=timed.counts_approval, counted=timed.counted,
        recorded_at=now,
    )
    with transaction.atomic():
        record, _ = ProcessTime.objects.update_or_create(application=application, defaults=values)
        events.record(actor=None, verb="application.process_time_recorded", subject=application,
                      data={k: v for k, v in values.items() if k != "recorded_at"})
    return record
