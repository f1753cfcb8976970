"""Is one promise at least as good for the customer as another? Pure, no Django.

Time limits are better when lower, thresholds (kW of zero investment, metres of exempt
line, kVA of on-site reply) when higher. Same unit: compare the numbers. `day` against
`workday` is compared so that the answer holds for every start date (see `no_looser`);
anything else is not comparable and is reported as such rather than guessed.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

from policies.schema import Quantity

Better = Literal["lower", "higher"]
WorkdaySpan = Callable[[int], int]


class Incomparable(ValueError):
    pass


@lru_cache(maxsize=1)
def _official_workdays() -> tuple[tuple[int, ...], int, int]:
    """Ordinals of the working days in every year whose official schedule is bundled."""
    import chinese_calendar
    from chinese_calendar import constants

    first = min(constants.holidays).year
    last = max(constants.holidays).year
    start, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
    days = (start + dt.timedelta(n) for n in range((end - start).days + 1))
    return tuple(d.toordinal() for d in days if chinese_calendar.is_workday(d)), start.toordinal(), end.toordinal()


@lru_cache(maxsize=256)
def max_workday_span(n: int) -> int:
    """The most calendar days that n working days have ever taken (start day not counted),
    over every start date in the official State Council schedules bundled with
    chinesecalendar (2004 onwards: 春节 and 国庆 golden weeks, the 2020 extension, 调休)."""
    if n <= 0:
        return 0
    workdays, first, _ = _official_workdays()
    longest = 0
    for start in range(first, workdays[-1]):
        index = bisect.bisect_right(workdays, start) + n - 1
        if index >= len(workdays):
            break
        longest = max(longest, workdays[index] - start)
    return longest


def no_looser(
    child: Quantity,
    parent: Quantity,
    *,
    better: Better = "lower",
    workday_span: WorkdaySpan = max_workday_span,
) -> bool:
    """True when `child` promises at least what `parent` does, whatever the start date.

    - same unit: compare the values.
    - child `day` N, parent `workday` M (lower is better): no looser iff N <= M. M working
      days end on a working day at least M calendar days out; N calendar days end on the
      first working day on or after day N, which is then never later.
    - child `workday` N, parent `day` M: no looser iff the longest span N working days have
      taken in any official schedule is <= M (then day N's working day is never later than
      day M, or the first working day after it).
    Any other pair of units raises Incomparable: the loader reports it as an error, so a
    promise that cannot be shown to be no looser is not accepted.
    """
    if child.unit == parent.unit:
        if better == "lower":
            return child.value <= parent.value
        return child.value >= parent.value
    if better == "lower" and {child.unit, parent.unit} == {"day", "workday"}:
        if child.unit == "day":
            return child.value <= parent.value
        if not float(child.value).is_integer():
            raise Incomparable(f"{child} is not a whole number of working days")
        return workday_span(int(child.value)) <= parent.value
    raise Incomparable(f"{child} and {parent} cannot be compared")
