"""GET /api/v1/policies/ and /api/v1/policies/{region}?on=YYYY-MM-DD (same JSON as the CLI)."""
from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema
from pydantic import BaseModel, ConfigDict

from core.dates import strict_date
from core.errors import invalid
from policies import queries

router = Router(tags=["policies"])



class Open(BaseModel):
    # Declared fields are typed for the OpenAPI schema; the rest (derived, note, reason …)
    # pass through unchanged, so the API returns exactly what `policy show --json` prints.
    # A plain pydantic model: ninja's Schema reads declared fields only.
    model_config = ConfigDict(extra="allow")


class QuantityOut(Open):
    value: int | float
    unit: str
    kind: str
    source: str


class StageOut(Schema):
    code: str
    name: str
    limit: int | float | None
    unit: str
    kind: str | None
    source: str | None
    derived: str | None
    when: str | None
    documents: list[str] | None
    documents_source: str | None


class CategoryOut(Schema):
    name: str
    unit: str
    stages: list[StageOut]
    grid_side_limit: QuantityOut | None
    full_process_limit: QuantityOut | None
    parent_category: str | None
    applies_to: dict[str, Any] | None
    stages_source: str | None
    targets: dict[str, Any]


class ReliabilityTargetOut(Schema):
    year: int
    city_group: str
    area: str
    saidi: QuantityOut | None
    yoy_reduction: QuantityOut | None
    note: str | None


class NoteOut(Schema):
    id: str
    region: str | None
    kind: str
    topic: str
    citations: list[dict[str, str]]
    reading: str
    reason: str
    affects: list[str]
    exception_for: dict[str, str] | None


class PolicyOut(Schema):
    region: str
    name: str
    title: str
    parent: str | None
    seed: str | None
    version: str
    effective_from: str
    unit: str
    basis: str
    chain: list[dict[str, str]]
    categories: dict[str, CategoryOut]
    approvals: dict[str, Any]
    zero_investment: dict[str, Any]
    investment_boundary: list[dict[str, Any]]
    reliability_targets: list[ReliabilityTargetOut]
    high_reliability_zones: dict[str, Any] | None
    documents: dict[str, Any]
    next_day_connection: dict[str, Any] | None
    connection: dict[str, Any] | None
    onsite_scheme_reply: dict[str, Any] | None
    transitional_scheme: dict[str, Any] | None
    reporting: dict[str, Any]
    rules: dict[str, Any]
    targets: dict[str, Any]
    settings: dict[str, Any] | None
    fees: dict[str, Any] | None
    voltage_classes: dict[str, Any] | None
    city_groups: dict[str, str]
    one_way: list[dict[str, str]]
    notes: list[NoteOut]


class VersionOut(Schema):
    version: str
    effective_from: str
    sha256: str
    loaded_at: str


class PolicySummaryOut(Schema):
    region: str
    name: str
    parent: str | None
    in_force: str | None
    versions: list[VersionOut]


def _parse_on(value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        return strict_date(value)
    except ValueError:
        raise invalid("on", f"expected a date YYYY-MM-DD, got '{value}'") from None


@router.get("/", response=list[PolicySummaryOut], summary="Regions, their stored versions and the one in force today")
def list_policies(request):
    return queries.policy_list()


@router.get("/{region}", response=PolicyOut, summary="The version of a region's policy in force on a date")
def show_policy(request, region: str, on: str | None = None):
    """`on` is YYYY-MM-DD (default: today, Asia/Shanghai). 404 for an unknown region or a
    date before the first version, 422 for a malformed date."""
    return queries.policy_show(region=region, on=_parse_on(on))
