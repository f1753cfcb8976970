"""Reads of applications: the only way views and the API fetch what a user may see."""
from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from accounts import access
from accounts.models import User
from applications.models import OPEN_STAGE_STATES, Application, Confirmation, Stage
from core.errors import NotFound


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
