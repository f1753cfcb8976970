"""Reads of applications: the only way views and the API fetch what a user may see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import deadlines, rules
from applications.models import OPEN_STAGE_STATES, Application, Confirmation, Stage, Status
from core.errors import NotFound
from workdays import clock


def applications_for(user: User) -> QuerySet[Application]:
    return access.scope(user, Application.objects.all(), division_field="county", utility_field="utility",
                        owner_field="applicant_user")


def application_for(user: User, pk) -> Application:
    return access.get_visible(user, Application.objects.select_related("county", "policy_version"), pk=pk,
                              what="application", division_field="county", utility_field="utility",
                              owner_field="applicant_user")


def application_by_number(user: User, number: str) -> Application:
    found = applications_for(user).filter(number=number).values_list("pk", flat=True).first()
    return application_for(user, found if found is not None else -1)


def overdue_stages(today: date) -> QuerySet[Stage]:
    return Stage.objects.filter(state__in=[Stage.State.ACTIVE], due_date__lt=today)


def filter_applications(
    qs: QuerySet[Application], *, status: str | None = None, county: str | None = None,
    category: str | None = None, overdue: bool | None = None, submitted_from: date | None = None,
    submitted_to: date | None = None, today: date | None = None,
) -> QuerySet[Application]:
    if status:
        qs = qs.filter(status=status)
    if county:
        qs = qs.filter(county__code=county)
    if category:
        qs = qs.filter(category=category)
    if submitted_from:
        qs = qs.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        qs = qs.filter(submitted_at__date__lte=submitted_to)
    if overdue is not None and today is not None:
        late = Exists(overdue_stages(today).filter(application=OuterRef("pk")))
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs


def my_queue(user: User) -> QuerySet[Stage]:
    """Stages assigned to the user (or, for HV, the managers' applications), soonest due first."""
    from django.db.models import Q

    return (
        Stage.objects.filter(state__in=OPEN_STAGE_STATES)
        .filter(Q(assignee=user) | Q(application__account_manager=user) | Q(application__project_manager=user))
        .select_related("application")
        .order_by("due_date", "id")
        .distinct()
    )


def confirmations_for(user: User) -> QuerySet[Confirmation]:
    """The confirmations waiting for this user (双人复核, force-majeure approvals), oldest first."""
    return (Confirmation.objects.filter(confirmer=user, state=Confirmation.State.PENDING,
                                        application__in=applications_for(user))
            .select_related("application", "stage", "requested_by").order_by("requested_at", "id"))


def confirmation_for(user: User, pk) -> Confirmation:
    """One of the user's own pending confirmations; anyone else's answers as not found."""
    found = confirmations_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"confirmation {pk} not found", fields={"confirmation": "not found"})
    return found


def first_staff(organisation, role: str) -> User | None:
    """The first active user holding `role` in `organisation` (the county supervisor who gets a
    督办, the project manager of an HV file): one definition of "who is that"."""
    return (User.objects.filter(memberships__role=role, memberships__organisation=organisation, is_active=True)
            .order_by("id").first())


@dataclass(frozen=True)
class FullProcess:
    """The per-case limit on the whole process (application day to energisation) and its due date."""
    limit: int
    unit: str
    source: str
    next_day: bool  # the limit is 当日申请，次日接电
    start: date  # the application day (not counted)
    due: date
    provisional: bool
    energised_on: date | None
    within: bool | None  # None while the file is open and not yet due

    @property
    def overdue(self) -> bool:
        return self.within is False


def full_process(application: Application, *, today: date, schedule: clock.Schedule) -> FullProcess | None:
    """The full-process deadline the policy pinned (or, before acceptance, in force on the
    application day) sets for this case; None when it sets none. Counted from the first
    application day, as the full-process time is (a re-filed case keeps its first day)."""
    start = timezone.localdate(application.first_submitted_at)
    version = application.policy_version or rules.version_in_force(application.region, start)
    limit = rules.full_process_limit(version, application.category, application=application)
    if limit is None:
        return None
    due = deadlines.stage_due(start=start, limit=int(limit.value), unit=limit.unit, schedule=schedule)
    energised = timezone.localdate(application.energised_at) if application.energised_at else None
    if application.status == Status.ENERGISED and energised is not None:
        within = energised <= due.due_date
    else:
        within = False if application.is_open and today > due.due_date else None
    rule = rules.document(version).next_day_connection
    return FullProcess(int(limit.value), limit.unit, limit.source, rule is not None and limit == rule.limit, start,
                       due.due_date, due.provisional, energised, within)
