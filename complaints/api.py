"""/api/v1/complaints: file (idempotent), list with filters and counts per county, detail,
reply, feedback (confirm / reopen), close. Same actions and access as the pages."""
from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from accounts import queries as account_queries
from accounts.auth import API_AUTH
from applications import deadlines
from applications import queries as app_queries
from complaints import actions, queries
from complaints.models import TEXT_MAX, Complaint
from core import labels
from workdays.schedule import get_schedule

router = Router(tags=["complaints"], auth=API_AUTH)


class ComplaintIn(Schema):
    text: str = Field(max_length=TEXT_MAX)
    channel: str = Field("api", description="portal | api | phone_95598 | phone_12398 (phone: staff only)")
    application: str = Field("", max_length=32, description="application number, empty for the service in general")
    county: str = Field("", max_length=12, description="county division code when no application is named")
    contact_name: str = Field("", max_length=64)
    contact_phone: str = Field("", max_length=20, description="required for phone cases (回访)")


class ReplyIn(Schema):
    text: str = Field(max_length=TEXT_MAX)


class FeedbackIn(Schema):
    satisfied: bool
    comment: str = Field("", max_length=TEXT_MAX)


class CloseIn(Schema):
    note: str = Field(max_length=TEXT_MAX)


class EntryOut(Schema):
    kind: str
    kind_name: str
    text: str
    by: str
    at: datetime
    on_behalf: bool


class ComplaintOut(Schema):
    id: int
    number: str
    channel: str
    channel_name: str
    state: str
    state_name: str
    application: str | None
    county: str
    county_name: str
    contact_name: str
    text: str
    filed_at: datetime
    limit: int
    unit: str
    limit_reason: str
    due_date: date
    provisional: bool
    overdue: bool
    workdays_left: int | None
    reopened: int
    satisfied: bool | None
    supervisor: str | None
    entries: list[EntryOut]


class Filters(Schema):
    state: str = ""
    county: str = ""
    channel: str = ""
    overdue: bool | None = None


class CountyCount(Schema):
    county: str
    county_name: str
    total: int
    open: int
    overdue: int
    replied: int
    closed: int
    reopened: int


def out(complaint: Complaint, today: date | None = None) -> dict:
    today = today or timezone.localdate(timezone.now())
    is_open = complaint.state == Complaint.State.OPEN
    return {
        "id": complaint.pk, "number": complaint.number, "channel": complaint.channel,
        "channel_name": labels.label("complaint_channel", complaint.channel),
        "state": complaint.state, "state_name": labels.label("complaint_state", complaint.state),
        "application": complaint.application.number if complaint.application_id else None,
        "county": complaint.county.code, "county_name": complaint.county.name,
        "contact_name": complaint.contact_name, "text": complaint.text, "filed_at": complaint.filed_at,
        "limit": complaint.limit, "unit": complaint.unit, "limit_reason": actions.complaint_limit().reason,
        "due_date": complaint.due_date, "provisional": complaint.provisional,
        "overdue": complaint.overdue or (is_open and today > complaint.due_date),
        "workdays_left": deadlines.workdays_left(complaint.due_date, today, schedule=get_schedule()) if is_open else None,
        "reopened": complaint.reopened, "satisfied": complaint.satisfied,
        "supervisor": labels.person(complaint.supervisor) if complaint.supervisor_id else None,
        "entries": [{"kind": e.kind, "kind_name": labels.label("complaint_entry", e.kind), "text": e.text,
                     "by": labels.person(e.by), "at": e.at, "on_behalf": e.on_behalf}
                    for e in complaint.entries.select_related("by")],
    }


@router.post("/", response={200: ComplaintOut, 201: ComplaintOut})
def file_complaint(request: HttpRequest, payload: ComplaintIn):
    """File a complaint. Send an `Idempotency-Key` header: a repeat returns the first case (200)."""
    application, county = None, None
    if payload.application:
        application = app_queries.application_by_number(request.auth, payload.application.strip())
    elif payload.county:
        county = account_queries.county_required(payload.county)
    complaint, created = actions.complaint_file(
        by=request.auth, text=payload.text, channel=payload.channel, application=application, county=county,
        contact_name=payload.contact_name, contact_phone=payload.contact_phone,
        idempotency_key=request.headers.get("Idempotency-Key", "").strip())
    return Status(201 if created else 200, out(complaint))


@router.get("/", response=list[ComplaintOut])
@paginate(PageNumberPagination, page_size=50)
def list_complaints(request: HttpRequest, filters: Query[Filters]):
    today = timezone.localdate(timezone.now())
    qs = queries.workbench_list(request.auth, state=filters.state, county=filters.county, channel=filters.channel,
                                overdue=filters.overdue, today=today).prefetch_related("entries__by")
    return [out(c, today) for c in qs]


@router.get("/counts", response=list[CountyCount])
def county_counts(request: HttpRequest):
    """Complaints per county in the caller's jurisdiction (for the supervisor and the regulator)."""
    today = timezone.localdate(timezone.now())
    return [{**{k: v for k, v in row.items() if k != "county"}, "county": row["county"].code,
             "county_name": row["county"].name} for row in queries.counts_by_county(request.auth, today=today)]


@router.get("/{int:complaint_id}", response=ComplaintOut)
def get_complaint(request: HttpRequest, complaint_id: int):
    return out(queries.complaint_for(request.auth, complaint_id))


@router.post("/{int:complaint_id}/reply", response=ComplaintOut)
def reply(request: HttpRequest, complaint_id: int, payload: ReplyIn):
    complaint = queries.complaint_for(request.auth, complaint_id)
    return out(actions.complaint_reply(complaint=complaint, by=request.auth, text=payload.text))


@router.post("/{int:complaint_id}/feedback", response=ComplaintOut)
def feedback(request: HttpRequest, complaint_id: int, payload: FeedbackIn):
    complaint = queries.complaint_for(request.auth, complaint_id)
    return out(actions.complaint_feedback(complaint=complaint, by=request.auth, satisfied=payload.satisfied,
                                          comment=payload.comment))


@router.post("/{int:complaint_id}/close", response=ComplaintOut)
def close(request: HttpRequest, complaint_id: int, payload: CloseIn):
    complaint = queries.complaint_for(request.auth, complaint_id)
    return out(actions.complaint_close(complaint=complaint, by=request.auth, note=payload.note))
