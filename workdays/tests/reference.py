"""The time rule walked one day at a time: obviously correct, slow. The property tests use it
as the oracle and bench/deadlines.py as its naive baseline."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

ONE = timedelta(days=1)


def day_loop(start: date, n: int, unit: str, is_working: Callable[[date], bool]) -> date:
    if n == 0 or unit == "day":
        day = start + timedelta(days=n)
        while not is_working(day):
            day += ONE
        return day
    day, counted = start, 0
    while counted < n:
        day += ONE
        if is_working(day):
            counted += 1
    return day
