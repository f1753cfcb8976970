"""/api/v1/workdays/: the legal clock over HTTP, answering exactly as the CLI does."""
from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema

from core.errors import invalid
from workdays import queries
from workdays.clock import Unit

router = Router(tags=["workdays"])


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ErrorOut(Schema):
    error: ErrorDetail


class SkippedDayOut(Schema):
    date: date
    reason: str = Field(description='"weekend" or "holiday:<name>", e.g. "holiday:国庆节"')


class MoveOut(Schema):
    from_: date = Field(alias="from", description="the limit's last calendar day, which is not a working day")
    reason: str


class DeadlineOut(Schema):
    start: date
    unit: Literal["workday", "day"]
    limit: int
    due: date
    provisional: bool = Field(description="true when a day from start+1 to due lies in a year not yet published")
    counted: list[date]
    skipped: list[SkippedDayOut]
    moved: MoveOut | None


class CountOut(Schema):
    from_: date = Field(alias="from")
    to: date
    workdays: int = Field(description="working days in (from, to]")


class NamedDayOut(Schema):
    date: date
    name: str


class CalendarYearOut(Schema):
    year: int
    source: Literal["official", "imported", "provisional"]
    holidays: list[NamedDayOut]
    workdays: list[NamedDayOut] = Field(description="weekend days worked (调休上班)")


@router.get("/deadline", response={200: DeadlineOut, 422: ErrorOut}, by_alias=True)
def deadline(
    request,
    start: date,
    workdays: int | None = Query(None, ge=0, description="limit in working days (工作日)"),
    days: int | None = Query(None, ge=0, description="limit in calendar days (自然日)"),
):
    """When a limit ends: the start day is not counted; give exactly one of workdays or days."""
    if (workdays is None) == (days is None):
        raise invalid("workdays", "give exactly one of workdays or days")
    if workdays is not None:
        why = queries.deadline(start=start, limit=workdays, unit=Unit.WORKDAY)
    else:
        why = queries.deadline(start=start, limit=days, unit=Unit.DAY)
    return why.as_json()


@router.get("/count", response={200: CountOut, 422: ErrorOut}, by_alias=True)
def count(request, date_from: date = Query(..., alias="from"), date_to: date = Query(..., alias="to")):
    """Working days in (from, to]: from is not counted, to is."""
    n = queries.working_day_count(date_from=date_from, date_to=date_to)
    return {"from": date_from, "to": date_to, "workdays": n}


@router.get("/calendar/{year}", response={200: CalendarYearOut, 404: ErrorOut, 422: ErrorOut})
def calendar_year(request, year: int):
    """Holidays and 调休 working days of one year, and where they come from."""
    return queries.calendar_year(year)
