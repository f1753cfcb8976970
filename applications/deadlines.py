"""The application side of the legal clock: one place that turns a stage's limit, its
start and its pauses into a due date, so pages, API, jobs and reports agree.

Pure: no Django and no database. The caller fetches the official schedule once per request
or sweep (`workdays.schedule.get_schedule()`) and passes it to every call, so a page of 50
rows costs one schedule lookup, not one per row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workdays import clock

WORKDAY = "workday"


@dataclass(frozen=True)
class Due:
    base_due: date
    due_date: date
    provisional: bool


def stage_due(*, start: date, limit: int | None, unit: str, schedule: clock.Schedule,
              paused_workdays: int = 0) -> Due | None:
    """Due date of a stage: the limit from the day after `start`, then pushed back by the
    working days the customer held the file (pauses stop the grid-side clock). None when
    the policy sets no limit."""
    if limit is None:
        return None
    base = clock.explain(start, limit, unit, schedule)
    if not paused_workdays:
        return Due(base.due, base.due, base.provisional)
    extended = clock.explain(base.due, paused_workdays, WORKDAY, schedule)
    return Due(base.due, extended.due, base.provisional or extended.provisional)


def workdays_between(start: date, end: date, *, schedule: clock.Schedule) -> int:
    """Working days in (start, end]; 0 when end is not after start."""
    if end <= start:
        return 0
    return clock.count(start, end, schedule)


def workdays_left(due: date, today: date, *, schedule: clock.Schedule) -> int:
    """Working days from today to the due date; negative when overdue."""
    if due >= today:
        return workdays_between(today, due, schedule=schedule)
    return -workdays_between(due, today, schedule=schedule)


def add(start: date, n: int, unit: str, *, schedule: clock.Schedule) -> date:
    return clock.add(start, n, unit, schedule)
