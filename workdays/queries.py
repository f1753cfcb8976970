"""Reads of the calendar for the CLI, the API and the page: the same answers, the same
errors (each naming the argument the caller typed: start, workdays/days, from/to, year)."""
from __future__ import annotations

from datetime import date

from core.errors import NotFound, invalid
from workdays import clock
from workdays.actions import PROVISIONAL
from workdays.models import CalendarYear, DayKind
from workdays.provisional import provisional_holidays
from workdays.schedule import get_schedule

# The argument a user typed for each unit's limit.
LIMIT_FIELD = {clock.Unit.WORKDAY: "workdays", clock.Unit.DAY: "days"}


def deadline(*, start: date, limit: int, unit: str) -> clock.Explanation:
    unit = clock.Unit(unit)
    names = {"start": "start", "n": LIMIT_FIELD[unit], "unit": "unit"}
    try:
        return clock.explain(start, limit, unit, get_schedule())
    except (clock.OutOfRange, clock.InvalidLimit) as exc:
        raise invalid(names[exc.field], exc.reason) from exc


def working_day_count(*, date_from: date, date_to: date) -> int:
    """Working days in (date_from, date_to]."""
    names = {"start": "from", "end": "to"}
    try:
        return clock.count(date_from, date_to, get_schedule())
    except (clock.OutOfRange, clock.InvalidLimit) as exc:
        raise invalid(names[exc.field], exc.reason) from exc


def calendar_year(year: int) -> dict:
    """One year as `calendar show --json` and the API print it."""
    schedule = get_schedule()
    if not schedule.first_year <= year <= schedule.last_year:
        message = f"{year} is outside the calendar ({schedule.first_year}–{schedule.last_year})"
        raise NotFound(f"year: {message}", fields={"year": message})
    stored = CalendarYear.objects.filter(year=year).first()
    if stored is None:
        holidays = sorted(provisional_holidays(year).items())
        return {
            "year": year,
            "source": PROVISIONAL,
            "holidays": [{"date": d.isoformat(), "name": name} for d, name in holidays],
            "workdays": [],
        }
    days = list(stored.days.values_list("date", "kind", "name"))
    return {
        "year": year,
        "source": stored.source,
        "holidays": [{"date": d.isoformat(), "name": name} for d, kind, name in days if kind == DayKind.HOLIDAY],
        "workdays": [{"date": d.isoformat(), "name": name} for d, kind, name in days if kind == DayKind.WORKDAY],
    }
