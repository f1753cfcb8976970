"""/api/v1/approvals: routing (same JSON as `getpower approvals route --json`), cases, decisions."""
from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from accounts.auth import API_AUTH
from applications import queries as application_queries
from approvals import actions, queries
from approvals.routing import route_works
from policies.routing import MAX_KW, MAX_LENGTH_M, MAX_VOLTAGE_KV

router = Router(tags=["approvals"])


class RouteIn(Schema):
    region: str = Field(max_length=40, description="zaozhuang | zhejiang | shaanxi …")
    on: date = Field(description="the policy version in force on this date")
    voltage_kv: float = Field(gt=0, le=MAX_VOLTAGE_KV)
    kw: float = Field(ge=0, le=MAX_KW, description="capacity in kW")
    length_m: float = Field(ge=0, le=MAX_LENGTH_M, description="line length in metres")
    sanling: bool = False
    interested_parties: bool = False
    crossings: list[str] = Field(default=[], max_length=10, description="expressway, city_road, green_space …")
    submitted: date | None = Field(None, description="counted from (default: on)")


class LimitOut(Schema):
    value: int | float
    unit: str
    source: str
    due: date | None


class RouteOut(Schema):
    routes: list[str]
    exempt: bool
    departments: list[str]
    limits: list[LimitOut]
    due: date | None
    rule: str
    source: str
    region: str
    version: str
    voltage_class: str
    submitted: date
    provisional: bool
    why: list[str]


@router.post("/route", response=RouteOut, auth=None, summary="Route a power-access works (no state is changed)")
def route(request, payload: RouteIn):
    return route_works(**payload.dict()).as_json()


# ---------------------------------------------------------------- cases and decisions (signed in)


class CaseOut(Schema):
    id: int
    request: str
    application: str
    department: str
    organisation: str
    status: str
    due_date: date | None
    provisional: bool
    overdue: bool
    conditions: str
    reason: str
    decided_at: datetime | None


def _case_out(case) -> dict:
    return {
        "id": case.pk, "request": case.request.number, "application": case.request.application.number,
        "department": case.department, "organisation": case.organisation.name, "status": case.status,
        "due_date": case.due_date, "provisional": case.provisional, "overdue": case.overdue,
        "conditions": case.conditions, "reason": case.reason, "decided_at": case.decided_at,
    }


@router.get("/cases", response=list[CaseOut], auth=API_AUTH, summary="Cases this user may see (a department: its own)")
@paginate(PageNumberPagination, page_size=50)
def cases(request, status: str | None = Query(None, max_length=24)):
    found = queries.visible_cases(request.auth).order_by("due_date", "pk")
    if status:
        found = found.filter(status=status)
    return [_case_out(c) for c in found]


class DecisionIn(Schema):
    decision: str = Field(max_length=24, description="approved | approved_with_conditions | rejected")
    conditions: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000)


@router.post("/cases/{case_id}/decide", response=CaseOut, auth=API_AUTH)
def decide(request, case_id: int, payload: DecisionIn):
    case = queries.case_for(request.auth, case_id)
    return _case_out(actions.case_decide(case=case, by=request.auth, **payload.dict()))


class SubmitIn(Schema):
    application_id: int
    kw: float = Field(ge=0, le=MAX_KW)
    length_m: float = Field(ge=0, le=MAX_LENGTH_M)
    crossings: list[str] = Field(default=[], max_length=10)
    interested_parties: bool = False
    sanling: bool | None = None


class RequestOut(Schema):
    id: int
    number: str
    status: str
    routes: list[str]
    exempt: bool
    due_date: date | None
    cases: list[CaseOut]


def _request_out(approval) -> dict:
    return {"id": approval.pk, "number": approval.number, "status": approval.status, "routes": approval.routes,
            "exempt": approval.exempt, "due_date": approval.due_date,
            "cases": [_case_out(c) for c in approval.cases.select_related("organisation", "request__application")]}


@router.post("/requests", response={201: RequestOut}, auth=API_AUTH, summary="Route a works and open its cases")
def submit(request, payload: SubmitIn):
    application = application_queries.application_for(request.auth, payload.application_id)
    approval = actions.request_submit(application=application, by=request.auth,
                                      **payload.dict(exclude={"application_id"}))
    return Status(201, _request_out(approval))


@router.get("/process-time/{application_id}", auth=API_AUTH, summary="Full-process time of an application")
def process_time(request, application_id: int):
    application = application_queries.application_for(request.auth, application_id)
    return queries.process_time(application, today=timezone.localdate()).as_json()
