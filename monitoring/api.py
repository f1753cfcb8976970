"""Indicators over HTTP (无感监测): the same rows as `getpower indicators show --json`."""
from __future__ import annotations

from ninja import Query, Router, Schema

from accounts.auth import API_AUTH
from monitoring import queries

router = Router(tags=["indicators"], auth=API_AUTH)


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    value: float | None
    target: float | None
    direction: str
    status: str
    source: str
    dimension: str
    cases: int | None
    note: str
    group: str


class IndicatorFilter(Schema):
    region: str
    period: str
    county: str | None = None


@router.get("/", response=list[IndicatorOut], summary="Every policy target measured live (无感监测)")
def indicators(request, filters: Query[IndicatorFilter]):
    """Status is `met`, `at_risk`, `missed` or `n/a` (no target or no data; never a guess)."""
    return queries.indicators_show(region=filters.region, period=filters.period, county=filters.county,
                                   user=request.auth)
