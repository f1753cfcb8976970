"""Reporting periods ("2026-10", "2026Q3", "2026"): pure, no Django.

Indicators are computed over a half-open date range [start, end); a period also knows
its months (for trend charts) and the period before it (for "对比上期" and 同比)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})Q([1-4])")
_YEAR = re.compile(r"(\d{4})")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class BadPeriod(ValueError):
    """The text is not a month, a quarter or a year in the supported range."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # exclusive
    kind: str  # month | quarter | year
    label: str

    @property
    def year(self) -> int:
        return self.start.year

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def months(self) -> list[Period]:
        out, cursor = [], self.start
        while cursor < self.end:
            out.append(month(cursor.year, cursor.month))
            cursor = _next_month(cursor)
        return out

    def previous(self) -> Period:
        if self.kind == "month":
            prior = date(self.start.year - (self.start.month == 1), (self.start.month - 2) % 12 + 1, 1)
            return month(prior.year, prior.month)
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return quarter(self.year - (q == 1), (q - 2) % 4 + 1)
        return year(self.year - 1)

    def same_last_year(self) -> Period:
        if self.kind == "month":
            return month(self.year - 1, self.start.month)
        if self.kind == "quarter":
            return quarter(self.year - 1, (self.start.month - 1) // 3 + 1)
        return year(self.year - 1)

    @property
    def chinese(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.year}年"


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _check_year(value: int) -> int:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise BadPeriod(f"年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间")
    return value


def month(y: int, m: int) -> Period:
    _check_year(y)
    if not 1 <= m <= 12:
        raise BadPeriod("月份须在 1–12 之间")
    start = date(y, m, 1)
    return Period(start, _next_month(start), "month", f"{y:04d}-{m:02d}")


def quarter(y: int, q: int) -> Period:
    _check_year(y)
    if not 1 <= q <= 4:
        raise BadPeriod("季度须在 1–4 之间")
    start = date(y, 3 * q - 2, 1)
    end = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
    return Period(start, end, "quarter", f"{y:04d}Q{q}")


def year(y: int) -> Period:
    _check_year(y)
    return Period(date(y, 1, 1), date(y + 1, 1, 1), "year", f"{y:04d}")


def parse(text: str) -> Period:
    """"2026-10" → October 2026, "2026Q3" → the third quarter, "2026" → the year."""
    text = (text or "").strip()
    if found := _MONTH.fullmatch(text):
        return month(int(found[1]), int(found[2]))
    if found := _QUARTER.fullmatch(text.upper()):
        return quarter(int(found[1]), int(found[2]))
    if found := _YEAR.fullmatch(text):
        return year(int(found[1]))
    raise BadPeriod("期间格式应为 2026-10（月）、2026Q3（季度）或 2026（年）")


def containing(day: date, kind: str) -> Period:
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year(day.year)
    raise BadPeriod(f"unknown period kind {kind!r}")
