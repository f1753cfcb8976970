"""Reads of applications: the only way views and the API fetch what a user may see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window, prefetch_related_objects
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import deadlines, rules
from applications.models import OPEN_STAGE_STATES, Application, Confirmation, Escalation, Pause, Stage, Status
from core.errors import NotFound
from core.models import Event
from workdays import clock


def applications_for(user: User) -> QuerySet[Application]:
    return access.scope(user, Application.objects.all(), division_field="county", utility_field="utility",
                        owner_field="applicant_user")


def application_for(user: User, pk) -> Application:
    return access.get_visible(user, Application.objects.select_related("county", "policy_version"), pk=pk,
                              what="application", division_field="county", utility_field="utility",
                              owner_field="applicant_user")


# What the API's application detail shows, read in a fixed number of queries whatever the
# number of stages, pauses, fees or events (applications/tests/test_api_queries.py pins it).
# A related list that is empty (most applications have no fees, schemes or pauses yet) costs
# no query: the application's own row says which lists have rows. Of a related row the detail
# shows one column, read as an annotation (joining whole rows cost more to build than to fetch).
RELATED_COLUMNS = {"county_code": "county__code", "policy_version_label": "policy_version__version",
                   "previous_number": "previous__number", "account_manager_name": "account_manager__username",
                   "project_manager_name": "project_manager__username", "assignee_name": "assignee__username",
                   "completed_by_name": "completed_by__username", "started_by_name": "started_by__username"}
DETAIL_RELATED = ("county_code", "policy_version_label", "previous_number", "account_manager_name", "project_manager_name")
STAGE_RELATED = ("assignee_name", "completed_by_name")
DETAIL_LISTS = ("schemes", "grid_projects", "fees")


def _columns(*names) -> dict:
    return {name: F(RELATED_COLUMNS[name]) for name in names}


def _has(model, **condition) -> Exists:
    return Exists(model.objects.filter(**condition))


def prefetch_detail(application: Application) -> None:
    """Read the lists the detail shows, leaving out those the application has no rows in
    (known from the `has_*` flags of application_detail_for; without them, all are read).
    An empty list is set, not prefetched: even an empty prefetch costs a millisecond."""
    pauses = [Prefetch("pauses", queryset=Pause.objects.annotate(**_columns("started_by_name")))] \
        if has_rows(application, "pauses") else []
    lists = [name for name in DETAIL_LISTS if has_rows(application, name)]
    if has_rows(application, "confirmations"):
        lists.append(Prefetch("confirmations", to_attr="pending_confirmations", queryset=Confirmation.objects.filter(
            state=Confirmation.State.PENDING).select_related("stage", "requested_by", "confirmer")))
    else:
        application.pending_confirmations = []
    prefetch_related_objects([application], Prefetch(
        "stages", queryset=Stage.objects.annotate(**_columns(*STAGE_RELATED)).prefetch_related(*pauses)), *lists)


def application_detail_for(user: User, pk) -> Application:
    """One application the user may see, with what its detail shows and which lists have rows."""
    from applications.models import Fee, GridProject, SupplyScheme

    return access.get_visible(user, Application.objects.annotate(
        **_columns(*DETAIL_RELATED),
        has_pauses=_has(Pause, stage__application=OuterRef("pk")),
        has_schemes=_has(SupplyScheme, application=OuterRef("pk")),
        has_grid_projects=_has(GridProject, application=OuterRef("pk")),
        has_fees=_has(Fee, application=OuterRef("pk")),
        has_confirmations=_has(Confirmation, application=OuterRef("pk"), state=Confirmation.State.PENDING),
    ), pk=pk, what="application", division_field="county", utility_field="utility", owner_field="applicant_user")


def related(instance, name: str):
    """One RELATED_COLUMNS column of an application, stage or pause: read with it by the
    detail's queries, or through the relation for any other instance."""
    if hasattr(instance, name):
        return getattr(instance, name)
    relation, column = RELATED_COLUMNS[name].split("__")
    row = getattr(instance, relation)
    return getattr(row, column) if row is not None else None


def has_rows(application: Application, name: str) -> bool:
    """False when application_detail_for found no rows in the list `name` (then nothing was
    prefetched and nothing need be read); True when it does not know."""
    return getattr(application, f"has_{name}", True)


def application_events(application: Application) -> QuerySet[Event]:
    """The application's own events in log order (its timeline)."""
    return Event.objects.filter(subject_type="applications.application", subject_id=str(application.pk)).order_by("seq")


# The columns of a list row, read as plain values with the open stage (an application has at
# most one) and the total of the filter in the same query: a page costs one query.
SUMMARY_COLUMNS = ("id", "number", "status", "region", "county__code", "category", "category_name", "channel",
                   "applicant_name", "voltage_kv", "capacity_kva", "submitted_at")


def summary_rows(applications: QuerySet[Application], page: slice) -> tuple[list[dict], int | None]:
    """One page of list rows of `applications` and the number of rows the filter matches
    (None when the page is empty: the caller counts then)."""
    current = Stage.objects.filter(application=OuterRef("pk"), state__in=OPEN_STAGE_STATES).order_by("seq")
    rows = list(applications.annotate(
        current_stage=Subquery(current.values("code")[:1]), current_due=Subquery(current.values("due_date")[:1]),
        current_alert=Subquery(current.values("alert")[:1]), total=Window(Count("pk")),
    ).values(*SUMMARY_COLUMNS, "current_stage", "current_due", "current_alert", "total")[page])
    total = None
    for row in rows:
        row["county"], total = row.pop("county__code"), row.pop("total")
    return rows, total


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


def every_application(*, status: str | None = None, county: str | None = None, overdue: bool | None = None,
                      today: date | None = None) -> QuerySet[Application]:
    """Applications of every county for the operator's console, with their stages, oldest first."""
    qs = Application.objects.select_related("county").prefetch_related("stages").order_by("submitted_at", "id")
    return filter_applications(qs, status=status, county=county, overdue=overdue, today=today)


def application_numbered(number: str) -> Application | None:
    """The application with this number, whoever may see it (the operator's console)."""
    return Application.objects.filter(number=number).first()


def application_count() -> int:
    return Application.objects.count()


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


def acceptance_pool(applications: QuerySet[Application]) -> QuerySet[Stage]:
    """Applications filed online have no account manager yet: the county's pool awaiting 受理."""
    return (Stage.objects.filter(code="acceptance", state=Stage.State.ACTIVE, assignee__isnull=True,
                                 application__status=Status.SUBMITTED, application__in=applications)
            .select_related("application__county", "application__policy_version", "assignee").order_by("due_date", "id"))


def application_page(pk) -> Application:
    """An application already checked visible, with what its workbench page shows."""
    return Application.objects.select_related(
        "county", "handling_org", "policy_version", "account_manager", "project_manager", "previous").get(pk=pk)


def stages(ids) -> QuerySet[Stage]:
    return Stage.objects.filter(pk__in=ids)


def open_stages_in_progress(applications: QuerySet[Application]) -> QuerySet[Stage]:
    return Stage.objects.filter(application__in=applications, state__in=OPEN_STAGE_STATES,
                                application__status=Status.IN_PROGRESS)


def escalations_for(user: User) -> QuerySet[Escalation]:
    """The 督办 a user sees: all in their jurisdiction for overseers, else those about their own work."""
    qs = Escalation.objects.filter(stage__application__in=applications_for(user))
    if not access.can(user, "escalation.view"):
        qs = qs.filter(Q(stage__assignee=user) | Q(stage__application__account_manager=user)
                       | Q(stage__application__project_manager=user) | Q(supervisor=user))
    return qs.select_related("stage__application__county", "stage__assignee", "supervisor", "replied_by")


def confirmations_for(user: User) -> QuerySet[Confirmation]:
    """The confirmations waiting for this user (双人复核, force-majeure approvals), oldest first."""
    return (Confirmation.objects.filter(confirmer=user, state=Confirmation.State.PENDING,
                                        application__in=applications_for(user))
            .select_related("application", "stage", "requested_by").order_by("requested_at", "id"))


def confirmation_for(user: User, pk) -> Confirmation:
    """One of the user's own pending confirmations; anyone else's answers as not found."""
    found = confirmations_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"未找到确认事项 {pk}", fields={"confirmation": "未找到"})
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


def filter_escalations(qs: QuerySet[Escalation], *, state: str = "", county: str = "", overdue: bool | None = None,
                       today: date) -> QuerySet[Escalation]:
    """Overdue: not closed and past its own deadline. Open ones first, the most urgent on top."""
    if state in Escalation.State.values:
        qs = qs.filter(state=state)
    if county:
        qs = qs.filter(stage__application__county__code=county)
    late = {"due_date__lt": today}
    if overdue is True:
        qs = qs.filter(**late).exclude(state=Escalation.State.CLOSED)
    elif overdue is False:
        qs = qs.exclude(state__in=[Escalation.State.OPEN, Escalation.State.REPLIED], **late)
    return qs.order_by("closed_at", "due_date", "-opened_at", "-id")


def missing_documents(application: Application, stage: Stage | None) -> list[str]:
    """What the policy lists for this stage that is neither on file nor obtained by data sharing
    (四免) nor the one certificate: 设计审查 without the design documents, say. Codes, in the
    policy's order."""
    if stage is None or application.policy_version is None:
        return []
    listed = rules.stage_documents(application.policy_version, application.category, stage.code)
    # On file, obtained by data sharing, or the one certificate shown at acceptance (一证通办).
    held = set(application.documents.values_list("doc_type", flat=True)) | rules.shared_documents(
        application.policy_version) | {rules.one_certificate(application.policy_version)}
    return [code for code in listed if code not in held]
