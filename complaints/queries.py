"""The only way views and the API fetch complaints: staff see their jurisdiction (county
and utility), the regulator its region, a complainant their own cases."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from accounts import access
from accounts.models import Division, User
from complaints.models import Complaint


def complaints_for(user: User) -> QuerySet[Complaint]:
    return access.scope(user, Complaint.objects.all(), division_field="county", utility_field="utility",
                        owner_field="complainant")


def complaint_for(user: User, pk) -> Complaint:
    return access.get_visible(
        user, Complaint.objects.select_related("application", "county", "handling_org", "complainant", "supervisor",
                                               "filed_by"),
        pk=pk, what="complaint", division_field="county", utility_field="utility", owner_field="complainant")


def workbench_list(user: User, *, state: str = "", county: str = "", overdue: bool | None = None,
                   channel: str = "", mine: bool = False, today: date) -> QuerySet[Complaint]:
    qs = complaints_for(user).select_related("application", "county", "supervisor")
    if state in Complaint.State.values:
        qs = qs.filter(state=state)
    if county:
        qs = qs.filter(county__code=county)
    if channel:
        qs = qs.filter(channel=channel)
    if mine:
        qs = qs.filter(supervisor=user)
    if overdue is True:
        qs = qs.filter(state=Complaint.State.OPEN, due_date__lt=today)
    elif overdue is False:
        qs = qs.exclude(state=Complaint.State.OPEN, due_date__lt=today)
    # Open cases first, the most urgent on top; then the rest newest first.
    return qs.order_by("closed_at", "due_date", "-filed_at", "-id")


def counts_by_county(user: User, *, today: date) -> list[dict]:
    """Per county: open, overdue (open past due), replied awaiting confirmation, closed, reopened, total."""
    qs = complaints_for(user)
    rows = qs.values("county").annotate(
        total=Count("id"),
        open=Count("id", filter=Q(state=Complaint.State.OPEN)),
        overdue=Count("id", filter=Q(state=Complaint.State.OPEN, due_date__lt=today)),
        replied=Count("id", filter=Q(state=Complaint.State.REPLIED)),
        closed=Count("id", filter=Q(state=Complaint.State.CLOSED)),
        reopened=Count("id", filter=Q(reopened__gt=0)),
    ).order_by("county")
    names = {d.pk: d for d in Division.objects.filter(pk__in=[r["county"] for r in rows])}
    return [{**r, "county": names[r["county"]]} for r in rows]


def mine(user: User) -> QuerySet[Complaint]:
    """A complainant's own cases (the portal)."""
    return Complaint.objects.filter(complainant=user).select_related("application", "county").prefetch_related(
        "entries")
