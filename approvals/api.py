"""/api/v1/approvals: routing (same JSON as `getpower approvals route --json`), cases, decisions."""
from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from pydantic import Field

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
