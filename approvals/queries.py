"""The only way views and the API fetch approvals for a user.

A government officer or supervisor sees the cases addressed to their own department's
office and nothing else; grid staff and regulators see requests in their jurisdiction
(accounts.access.scope over the application); an applicant sees their own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.timezone import localdate as local_date

from accounts import access
from accounts.models import User
from accounts.roles import GOVERNMENT
from applications.models import Application, Pause
from approvals.actions import government_organisations
from approvals.models import ApprovalRequest, CaseStatus, DepartmentCase
from approvals.process_time import ProcessTime
from approvals.process_time import compute as compute_process_time
from core.errors import NotFound
from workdays import clock
from workdays.schedule import get_schedule


def is_government(user: User) -> bool:
    return user.is_authenticated and bool(user.roles & GOVERNMENT)


def _application_scope(user: User, prefix: str) -> Q:
    visible = access.scope(
        user, Application.objects.all(), division_field="county", utility_field="utility",
        owner_field="applicant_user",
    )
    return Q(**{f"{prefix}__in": visible.values("pk")})


def visible_cases(user: User) -> QuerySet[DepartmentCase]:
    cases = DepartmentCase.objects.select_related("request__application", "organisation", "decided_by")
    if not user.is_authenticated:
        return cases.none()
    if access.jurisdiction(user).everything:
        return cases
    condition = Q(organisation_id__in=government_organisations(user))
    if user.roles - GOVERNMENT:
        condition |= _application_scope(user, "request__application")
    return cases.filter(condition)


def visible_requests(user: User) -> QuerySet[ApprovalRequest]:
    requests = ApprovalRequest.objects.select_related("application", "policy_version", "submitted_by")
    if not user.is_authenticated:
        return requests.none()
    if access.jurisdiction(user).everything:
        return requests
    condition = Q(cases__organisation_id__in=government_organisations(user))
    if user.roles - GOVERNMENT:
        condition |= _application_scope(user, "application")
    return requests.filter(condition).distinct()


def case_for(user: User, pk: int) -> DepartmentCase:
    case = visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise NotFound(f"未找到审批事项 {pk}", fields={"id": "未找到"})
    return case


def request_for(user: User, pk: int) -> ApprovalRequest:
    request = visible_requests(user).filter(pk=pk).first()
    if request is None:
        raise NotFound(f"未找到审批申请 {pk}", fields={"id": "未找到"})
    return request


def requests_of_application(user: User, application) -> list[ApprovalRequest]:
    return list(visible_requests(user).filter(application=application).prefetch_related("cases__organisation"))


@dataclass(frozen=True)
class CaseRow:
    case: DepartmentCase
    workdays_left: int | None
    overdue: bool


def workbench(user: User, *, today: date, pending_only: bool = False) -> list[CaseRow]:
    """The department's cases with their clocks: undecided first, the earliest due first.
    One schedule for all rows (no query per row)."""
    cases = visible_cases(user).filter(organisation_id__in=government_organisations(user))
    if pending_only:
        cases = cases.filter(status=CaseStatus.PENDING)
    schedule = get_schedule()
    rows = []
    for case in cases.order_by("status", "due_date", "pk"):
        left = None
        if case.due_date is not None and case.status == CaseStatus.PENDING:
            left = clock.count(today, case.due_date, schedule) if case.due_date >= today else -clock.count(case.due_date, today, schedule)
        late = case.overdue or (case.status == CaseStatus.PENDING and case.due_date is not None and today > case.due_date)
        rows.append(CaseRow(case=case, workdays_left=left, overdue=late))
    rows.sort(key=lambda r: (r.case.status != CaseStatus.PENDING, r.case.due_date or date.max, r.case.pk))
    return rows


def completion_push_overdue(user: User, *, today: date) -> QuerySet[ApprovalRequest]:
    """Works completed whose push to the approving department is past due and not made."""
    return visible_requests(user).filter(
        completion_pushed_at__isnull=True, completion_push_due__lt=today
    ).order_by("completion_push_due")


def process_time(application: Application, *, today: date) -> ProcessTime:
    """The full-process time of an application: to energisation, or to today while open.
    Customer time is every customer-side pause; approval time runs from each approval
    submission to its last department decision (or today while undecided)."""
    start = local_date(application.first_submitted_at)
    finished = application.energised_at is not None
    end = local_date(application.energised_at) if finished else max(today, start)
    customer = [
        (local_date(p.started_at), local_date(p.ended_at) if p.ended_at else end)
        for p in Pause.objects.filter(stage__application=application)
    ]
    spans = []
    for approval in application.approval_requests.filter(exempt=False).prefetch_related("cases"):
        decided = [c.decided_at for c in approval.cases.all()]
        last = local_date(max(decided)) if decided and all(decided) else end
        spans.append((approval.submitted_on, min(last, end)))
    version = application.policy_version
    document = version.policy() if version else None
    category = document.categories.get(application.category) if document else None
    unit = category.unit if category is not None else (document.unit if document else "workday")
    rule = document.approvals.full_process if document and document.approvals else None
    return compute_process_time(
        start=start, end=end, finished=finished, customer=customer, approval=spans, unit=unit,
        counts_approval=rule.counts_approval_time if rule is not None else True, schedule=get_schedule(),
    )


def overdue_cases(user: User, *, today: date) -> QuerySet[DepartmentCase]:
    """Undecided cases past their due date, the longest overdue first."""
    return visible_cases(user).filter(status=CaseStatus.PENDING, due_date__lt=today).select_related(
        "request__application__county").order_by("due_date", "pk")
