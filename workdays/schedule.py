"""The Schedule every deadline in the product is computed with: stored years (official or
imported) plus provisional years computed from the law, from FIRST_YEAR to ten years ahead.

Built once per process and reused; each call checks one cheap aggregate of the year table
so an import done by another process (web, worker, CLI) is seen on the next call.
"""
from __future__ import annotations

import threading

from django.db.models import Count, Max
from django.utils import timezone

from workdays import clock
from workdays.models import FIRST_YEAR, CalendarDay, CalendarYear, DayKind
from workdays.provisional import provisional_holidays

# Deadlines run up to a few months; ten years ahead also covers multi-year ledger tasks.
HORIZON_YEARS = 10

_lock = threading.Lock()
_cached: tuple[tuple, clock.Schedule] | None = None


def covered_years(last_stored: int | None = None) -> tuple[int, int]:
    """First and last year of the clock: FIRST_YEAR .. this year + HORIZON_YEARS (or the last stored)."""
    return FIRST_YEAR, max(timezone.localdate().year + HORIZON_YEARS, last_stored or FIRST_YEAR)


def get_schedule() -> clock.Schedule:
    global _cached
    state = CalendarYear.objects.aggregate(years=Count("year"), changed=Max("changed_at"), last=Max("year"))
    key = (covered_years(state["last"]), state["years"], state["changed"])
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, _build(*key[0]))
        return _cached[1]


def _build(first_year: int, last_year: int) -> clock.Schedule:
    holidays, makeup = {}, {}
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (holidays if kind == DayKind.HOLIDAY else makeup)[day] = name
    stored = set(CalendarYear.objects.values_list("year", flat=True))
    provisional = [y for y in range(first_year, last_year + 1) if y not in stored]
    for year in provisional:
        holidays.update(provisional_holidays(year))
    return clock.Schedule(
        first_year=first_year,
        last_year=last_year,
        holidays=holidays,
        makeup_workdays=makeup,
        provisional_years=frozenset(provisional),
    )
