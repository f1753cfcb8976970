"""Judging a measured value against its target: pure, no Django.

Direction "<=" means lower is better (days, hours, complaints), ">=" means higher is
better (shares, rates). A value that meets its target but lies within the warning band
of it is `at_risk` (one more late case can miss it); no value or no target is `n/a`,
never a guess."""
from __future__ import annotations

import math
from collections.abc import Sequence

MET, AT_RISK, MISSED, NA = "met", "at_risk", "missed", "n/a"
STATUSES = (MET, AT_RISK, MISSED, NA)
LOWER_IS_BETTER, HIGHER_IS_BETTER = "<=", ">="
# Share of the target within which a met value is flagged at risk (a setting, not a seed number).
AT_RISK_BAND = 0.10


def status(value: float | None, target: float | None, direction: str, *, band: float = AT_RISK_BAND) -> str:
    if value is None or target is None:
        return NA
    if direction == LOWER_IS_BETTER:
        if value > target:
            return MISSED
        return AT_RISK if value > target * (1 - band) else MET
    if direction == HIGHER_IS_BETTER:
        if value < target:
            return MISSED
        # Shares cannot pass 100 %: a 100 % target is met only at 100 %, never "at risk".
        return AT_RISK if value < min(target * (1 + band), 100.0) else MET
    raise ValueError(f"direction must be {LOWER_IS_BETTER!r} or {HIGHER_IS_BETTER!r}")


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (the value at rank ceil(p·n)), as statistics offices publish it."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def nearest_rank(n: int, p: float) -> int:
    """0-based offset of the nearest-rank percentile in n sorted values (for SQL OFFSET)."""
    return max(1, math.ceil(p / 100 * n)) - 1


def percentile_of_counts(counts: Sequence[tuple[float, int]], p: float) -> float | None:
    """Nearest-rank percentile of the values a histogram (value, how many) describes: the
    same value `percentile` gives over the values written out, without writing them out."""
    ordered = sorted((value, n) for value, n in counts if n > 0)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    rank, seen = nearest_rank(total, p), 0
    for value, n in ordered:
        seen += n
        if seen > rank:
            return value
    raise AssertionError("unreachable: the ranks add up to the total")


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 2)
