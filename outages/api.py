"""/api/v1/outages: faults from OMS/SCADA, progress and restoration, plans with their
先算后停 assessment, the public planned list, and the reliability report."""
from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from accounts import access
from accounts.auth import API_AUTH
from accounts.models import Division
from core.errors import invalid
from outages import actions, queries
from outages.models import Outage

router = Router(tags=["outages"], auth=API_AUTH)


class ScopeIn(Schema):
    type: str = Field(description="feeder | transformer | customer")
    code: str = Field(max_length=32)


class FaultIn(Schema):
    county: str = Field(max_length=12, description="county division code")
    cause: str = Field(max_length=16, description="equipment | weather | external | supply_shortage | ...")
    scopes: list[ScopeIn] = Field(max_length=200)
    title: str = Field("", max_length=120)
    started_at: datetime | None = None
    estimated_restoration: datetime | None = None
    lawful_basis: str = Field("", max_length=200, description="the approved 有序用电 plan (supply_shortage)")
    source: str = Field("oms", max_length=32, description="the calling system")
    external_id: str = Field("", max_length=64, description="the caller's event id: a retry returns the same outage")


class PlanIn(Schema):
    county: str = Field(max_length=12)
    title: str = Field(max_length=120)
    cause: str = Field("maintenance", max_length=16)
    planned_start: datetime
    planned_end: datetime
    scopes: list[ScopeIn] = Field(max_length=200)
    reason: str = Field("", max_length=2000)
    urgent_reason: str = Field("", max_length=2000)
    lawful_basis: str = Field("", max_length=200)


class ProgressIn(Schema):
    progress: str = Field("", max_length=200)
    estimated_restoration: datetime | None = None


class RestoreIn(Schema):
    scopes: list[ScopeIn] | None = Field(None, max_length=200, description="omit to restore everyone")


class ApproveIn(Schema):
    urgent_reason: str = Field("", max_length=2000)


class OutageOut(Schema):
    id: int
    kind: str
    cause: str
    status: str
    county: str
    title: str
    planned_start: datetime | None
    planned_end: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    estimated_restoration: datetime | None
    progress: str
    customers_affected: int
    urgent_reason: str
    external_id: str


def _out(o: Outage) -> dict:
    return {**{f: getattr(o, f) for f in OutageOut.model_fields if f != "county"}, "county": o.county.code}


def _county(user, code: str) -> Division:
    county = queries.county_in_jurisdiction(user, code)
    if county is None:
        raise invalid("county", f"区县 {code} 不存在或不在您的管辖范围内")
    return county


def _outage(user, outage_id: int) -> Outage:
    return queries.outage_for(user, outage_id)


def _pairs(scopes) -> list[tuple[str, str]]:
    return [(s.type, s.code) for s in scopes]


@router.post("/faults", response={200: OutageOut, 201: OutageOut})
def report_fault(request: HttpRequest, payload: FaultIn):
    """A fault from an operator or an OMS/SCADA system; retries with the same external_id are safe."""
    access.require(request.auth, "outage.operate")
    outage, created = actions.fault_report(
        by=request.auth, county=_county(request.auth, payload.county), cause=payload.cause,
        scopes=_pairs(payload.scopes), title=payload.title, started_at=payload.started_at,
        estimated_restoration=payload.estimated_restoration, lawful_basis=payload.lawful_basis,
        source=payload.source, external_id=payload.external_id)
    return Status(201 if created else 200, _out(outage))


@router.post("/{outage_id}/progress", response=OutageOut)
def progress(request: HttpRequest, outage_id: int, payload: ProgressIn):
    return _out(actions.outage_progress(outage=_outage(request.auth, outage_id), by=request.auth,
                                        progress=payload.progress,
                                        estimated_restoration=payload.estimated_restoration))


@router.post("/{outage_id}/restore", response=OutageOut)
def restore(request: HttpRequest, outage_id: int, payload: RestoreIn):
    scopes = None if payload.scopes is None else _pairs(payload.scopes)
    return _out(actions.outage_restore(outage=_outage(request.auth, outage_id), by=request.auth, scopes=scopes))


@router.post("/plans", response={201: OutageOut})
def plan(request: HttpRequest, payload: PlanIn):
    outage = actions.outage_plan(
        by=request.auth, county=_county(request.auth, payload.county), title=payload.title, cause=payload.cause,
        planned_start=payload.planned_start, planned_end=payload.planned_end, scopes=_pairs(payload.scopes),
        reason=payload.reason, urgent_reason=payload.urgent_reason, lawful_basis=payload.lawful_basis)
    return Status(201, _out(outage))


@router.get("/{outage_id}/assessment")
def assessment(request: HttpRequest, outage_id: int):
    """先算后停: customer-hours, effect on SAIDI, budget left and merge proposals."""
    outage = _outage(request.auth, outage_id)
    if outage.kind != "planned":
        raise invalid("outage", "只评估计划停电")
    return queries.assess(outage)


@router.post("/{outage_id}/approve", response=OutageOut)
def approve(request: HttpRequest, outage_id: int, payload: ApproveIn):
    return _out(actions.outage_approve(outage=_outage(request.auth, outage_id), by=request.auth,
                                       urgent_reason=payload.urgent_reason))


class ListFilters(Schema):
    kind: str | None = None
    status: str | None = None
    county: str | None = None


@router.get("/", response=list[OutageOut])
@paginate(PageNumberPagination, page_size=50)
def list_outages(request: HttpRequest, filters: Query[ListFilters]):
    access.require(request.auth, "outage.view")
    qs = queries.visible_outages(request.auth)
    for field in ("kind", "status"):
        if getattr(filters, field):
            qs = qs.filter(**{field: getattr(filters, field)})
    if filters.county:
        qs = qs.filter(county__code=filters.county)
    return [_out(o) for o in qs]


@router.get("/public/planned", auth=None, response=list[OutageOut])
def public_planned(request: HttpRequest, county: str | None = None):
    """Approved planned outages not yet over, readable without login."""
    return [_out(o) for o in queries.public_planned(county_code=county)]


@router.get("/reliability/{year}")
def reliability(request: HttpRequest, year: int, region: str | None = None):
    access.require(request.auth, "outage.view")
    if not 2000 <= year <= 2100:
        raise invalid("year", "应在 2000 到 2100 之间")
    return queries.reliability_report(year=year, region=region)


@router.get("/{outage_id}", response=OutageOut)
def detail(request: HttpRequest, outage_id: int):
    access.require(request.auth, "outage.view")
    return _out(_outage(request.auth, outage_id))
