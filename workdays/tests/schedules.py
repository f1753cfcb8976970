"""The schedule and the day-by-day reference for the pure clock tests (no database)."""
from __future__ import annotations

from datetime import date, timedelta

from workdays import clock
from workdays.official import official_days
from workdays.provisional import provisional_holidays
from workdays.tests.reference import day_loop

OFFICIAL = official_days()
PROVISIONAL_YEARS = range(OFFICIAL.last_year + 1, 2032)
HOLIDAYS = dict(OFFICIAL.holidays)
for _year in PROVISIONAL_YEARS:
    HOLIDAYS.update(provisional_holidays(_year))
MAKEUP = OFFICIAL.makeup_workdays

# Official 2004–2026, provisional 2027–2031: the property tests draw starts from 2004–2030,
# and a year of slack keeps every drawn deadline inside the schedule.
SCHEDULE = clock.Schedule(
    first_year=2004,
    last_year=2031,
    holidays=HOLIDAYS,
    makeup_workdays=MAKEUP,
    provisional_years=frozenset(PROVISIONAL_YEARS),
)


def ref_working(day: date) -> bool:
    if day in MAKEUP:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS


def ref_reason(day: date) -> str | None:
    if day in HOLIDAYS:
        return f"holiday:{HOLIDAYS[day]}"
    if day.weekday() >= 5 and day not in MAKEUP:
        return "weekend"
    return None


def ref_add(start: date, n: int, unit: str) -> date:
    return day_loop(start, n, unit, ref_working)


def ref_count(start: date, end: date) -> int:
    return sum(ref_working(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
