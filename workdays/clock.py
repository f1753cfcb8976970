"""The legal clock: which day a time limit ends (BRIEF "The time rule", 民法典 §201/§203).

Pure: plain dates in, plain dates out, no Django, so the benchmark and the property
tests run it without a database and every caller shares one set of rules:

- the start day is not counted; counting starts the next day;
- a ``workday`` limit of N ends on the N-th working day after the start. Working days
  are Monday to Friday that are not holidays, plus the make-up working weekend days
  (调休) of the State Council schedule;
- a ``day`` limit of N ends on start + N calendar days; when that day is not a working
  day (a weekend rest day or a holiday) it moves to the first working day after it.
  A 调休 working Saturday or Sunday is a working day and does not move;
- N = 0 is a same-day limit: it ends on the start day when that is a working day,
  otherwise on the first working day after it, in both units (the §203 move applied to
  a zero-length period). So a due date is always a working day.

A `Schedule` precomputes, once, tables indexed by day offset and by working-day index,
so that `add` is two list look-ups and `add_many` is the same look-ups vectorised.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

import numpy as np


class Unit(StrEnum):
    WORKDAY = "workday"
    DAY = "day"


WORKDAY = Unit.WORKDAY
DAY = Unit.DAY

# Plain-str twins for the hot path: comparing against a str literal is the cheapest test
# and accepts both Unit members and the strings the CLI and the API hand in.
_WORKDAY = "workday"
_DAY = "day"

_ONE_DAY = _dt.timedelta(days=1)
# numpy counts datetime64[D] from 1970-01-01; Python ordinals count from 0001-01-01.
_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
# Marks "no working day inside the schedule" in the numpy tables; any real day is larger.
_BEYOND = np.iinfo(np.int64).min


class OutOfRange(ValueError):
    """A date, or a due date, that the schedule does not cover. `field` names the argument."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class InvalidLimit(ValueError):
    """A limit or unit the clock cannot count. `field` names the argument."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


@dataclass(frozen=True, eq=False)
class Schedule:
    """The working-day calendar of the years first_year..last_year, frozen.

    holidays: rest days by date with their names (weekend days inside a holiday block may
    be listed too: they are rest days either way). makeup_workdays: weekend days that are
    working days (调休). provisional_years: years whose holidays were computed from the law
    because no State Council schedule is stored yet. Days outside the years are dropped.
    """

    first_year: int
    last_year: int
    holidays: Mapping[_dt.date, str]
    makeup_workdays: Mapping[_dt.date, str]
    provisional_years: frozenset[int] = frozenset()
    first_date: _dt.date = field(init=False)
    last_date: _dt.date = field(init=False)
    # Derived tables (see _build_tables); private because their layout is an implementation choice.
    _first: int = field(init=False, repr=False)
    _span: int = field(init=False, repr=False)
    _working_through: tuple[int, ...] = field(init=False, repr=False)
    _work_ordinals: tuple[int, ...] = field(init=False, repr=False)
    _next_working: tuple[int, ...] = field(init=False, repr=False)
    _np_working_through: np.ndarray = field(init=False, repr=False)
    _np_work_days: np.ndarray = field(init=False, repr=False)
    _np_next_working: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise ValueError(f"first_year {self.first_year} is after last_year {self.last_year}")
        first_date = _dt.date(self.first_year, 1, 1)
        last_date = _dt.date(self.last_year, 12, 31)
        # Sources may hold more years than the schedule covers; keep the covered ones.
        holidays = {d: name for d, name in self.holidays.items() if first_date <= d <= last_date}
        makeup = {d: name for d, name in self.makeup_workdays.items() if first_date <= d <= last_date}
        both = sorted(set(holidays) & set(makeup))
        if both:
            raise ValueError(f"{both[0]} is listed both as a holiday and as a make-up working day")
        weekday_makeup = sorted(d for d in makeup if d.weekday() < 5)
        if weekday_makeup:
            raise ValueError(f"make-up working day {weekday_makeup[0]} is not a Saturday or Sunday")
        setattr_ = object.__setattr__
        setattr_(self, "holidays", MappingProxyType(holidays))
        setattr_(self, "makeup_workdays", MappingProxyType(makeup))
        setattr_(self, "provisional_years", frozenset(self.provisional_years))
        setattr_(self, "first_date", first_date)
        setattr_(self, "last_date", last_date)
        self._build_tables()

    def _build_tables(self) -> None:
        first = self.first_date.toordinal()
        span = self.last_date.toordinal() - first + 1
        working_through = []  # [i]: working days among offsets 0..i
        work_ordinals = []  # [k]: ordinal of the k-th working day (0-based)
        day = self.first_date
        for _ in range(span):
            if self.rest_reason(day) is None:
                work_ordinals.append(day.toordinal())
            working_through.append(len(work_ordinals))
            day += _ONE_DAY
        # [i]: ordinal of the first working day on or after offset i, which is the working day
        # numbered by how many come before i; -1 when the schedule ends first.
        next_working = [
            work_ordinals[before] if before < len(work_ordinals) else -1 for before in [0, *working_through[:-1]]
        ]

        setattr_ = object.__setattr__
        setattr_(self, "_first", first)
        setattr_(self, "_span", span)
        # Tuples: index as fast as lists and keep the frozen schedule frozen.
        setattr_(self, "_working_through", tuple(working_through))
        setattr_(self, "_work_ordinals", tuple(work_ordinals))
        setattr_(self, "_next_working", tuple(next_working))

        # The batch tables hold days since 1970 (numpy's datetime64[D] count) and end with
        # a _BEYOND sentinel, so that an index clipped to the end reads "out of range".
        work_days = np.array(work_ordinals + [0], dtype=np.int64) - _EPOCH_ORDINAL
        work_days[-1] = _BEYOND
        next_days = np.array(next_working + [-1], dtype=np.int64)
        next_days = np.where(next_days < 0, _BEYOND, next_days - _EPOCH_ORDINAL)
        for name, table in (
            ("_np_working_through", np.array(working_through, dtype=np.int64)),
            ("_np_work_days", work_days),
            ("_np_next_working", next_days),
        ):
            table.setflags(write=False)
            setattr_(self, name, table)

    # Small readers used by explain() and the calendar page.
    def is_working(self, day: _dt.date) -> bool:
        self._offset(day, "date")
        return self.rest_reason(day) is None

    def rest_reason(self, day: _dt.date) -> str | None:
        """Why a day is not a working day ("holiday:<name>" or "weekend"), None if it is one."""
        name = self.holidays.get(day)
        if name is not None:
            return f"holiday:{name}"
        if day.weekday() >= 5 and day not in self.makeup_workdays:
            return "weekend"
        return None

    def is_provisional(self, first: _dt.date, last: _dt.date) -> bool:
        """Whether any date in first..last lies in a provisional year."""
        provisional = self.provisional_years
        return bool(provisional) and any(y in provisional for y in range(first.year, last.year + 1))

    def _offset(self, day: _dt.date, field_name: str) -> int:
        offset = day.toordinal() - self._first
        if offset < 0 or offset >= self._span:
            raise self._outside(day, field_name)
        return offset

    def _outside(self, day, field_name: str) -> OutOfRange:
        return OutOfRange(
            field_name, f"{day} 超出工作日日历的范围（{self.first_date} 至 {self.last_date}）"
        )

    def _beyond(self, field_name: str, n, unit) -> OutOfRange:
        return OutOfRange(
            field_name, f"{n} 个{'工作日' if unit == Unit.WORKDAY else '天'}的期限将超过工作日日历的最后一天 {self.last_date}"
        )


def add(start: _dt.date, n: int, unit: Unit | str, schedule: Schedule) -> _dt.date:
    """The day a limit of n units starting on `start` ends (see the module docstring)."""
    s = start.toordinal() - schedule._first
    if s < 0 or s >= schedule._span:
        raise schedule._outside(start, "start")
    if n < 0:
        raise InvalidLimit("n", f"期限不能为负数（收到 {n}）")
    if unit == _WORKDAY:
        if n:
            k = schedule._working_through[s] + n - 1
            if k >= len(schedule._work_ordinals):
                raise schedule._beyond("n", n, unit)
            return _dt.date.fromordinal(schedule._work_ordinals[k])
    elif unit == _DAY:
        s += n
        if s >= schedule._span:
            raise schedule._beyond("n", n, unit)
    else:
        raise InvalidLimit("unit", f"单位应为工作日（workday）或天（day），收到 {unit!r}")
    ordinal = schedule._next_working[s]
    if ordinal < 0:
        raise schedule._beyond("n", n, unit)
    return _dt.date.fromordinal(ordinal)


def count(start: _dt.date, end: _dt.date, schedule: Schedule) -> int:
    """Working days in (start, end]: the start day is not counted, the end day is."""
    s = schedule._offset(start, "start")
    e = schedule._offset(end, "end")
    if e < s:
        raise InvalidLimit("end", f"{end} 早于 {start}")
    return schedule._working_through[e] - schedule._working_through[s]


@dataclass(frozen=True)
class SkippedDay:
    date: _dt.date
    reason: str


@dataclass(frozen=True)
class Move:
    from_date: _dt.date
    reason: str


@dataclass(frozen=True)
class Explanation:
    """A deadline with the days that made it: the answer an applicant can check by hand."""

    start: _dt.date
    unit: Unit
    limit: int
    due: _dt.date
    provisional: bool
    counted: tuple[_dt.date, ...]
    skipped: tuple[SkippedDay, ...]
    moved: Move | None

    def as_json(self) -> dict:
        """The one JSON shape of a deadline, shared by the CLI (--json) and the API."""
        return {
            "start": self.start.isoformat(),
            "unit": str(self.unit),
            "limit": self.limit,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "counted": [d.isoformat() for d in self.counted],
            "skipped": [{"date": s.date.isoformat(), "reason": s.reason} for s in self.skipped],
            "moved": None if self.moved is None else {"from": self.moved.from_date.isoformat(), "reason": self.moved.reason},
        }


def explain(start: _dt.date, n: int, unit: Unit | str, schedule: Schedule) -> Explanation:
    """`add` with its working.

    workday: counted = the working days in (start, due]; skipped = the rest days among them.
    day: counted = the n calendar days after start; when the last one is a rest day, moved
    says so and skipped lists the rest days the end moved across, from that last day on.
    provisional: some day from start+1 to due (from start itself when n = 0, since then the
    start day decides) lies in a year whose holidays were computed, not published.
    """
    due = add(start, n, unit, schedule)
    unit = Unit(unit)
    counted: list[_dt.date] = []
    skipped: list[SkippedDay] = []
    moved = None
    if n == 0 or unit is Unit.DAY:
        # The limit's last calendar day; anything after it up to `due` is the §203 move.
        last = start + _dt.timedelta(days=n)
        counted = [start + _dt.timedelta(days=i) for i in range(1, n + 1)]
        if due != last:
            moved = Move(last, schedule.rest_reason(last))
            day = last
            while day < due:
                skipped.append(SkippedDay(day, schedule.rest_reason(day)))
                day += _ONE_DAY
    else:
        day = start + _ONE_DAY
        while day <= due:
            reason = schedule.rest_reason(day)
            if reason is None:
                counted.append(day)
            else:
                skipped.append(SkippedDay(day, reason))
            day += _ONE_DAY
    # With n = 0 the start day itself decides the answer, so it is part of what the answer rests on.
    consulted_from = start if n == 0 else start + _ONE_DAY
    return Explanation(
        start=start,
        unit=unit,
        limit=n,
        due=due,
        provisional=schedule.is_provisional(consulted_from, due),
        counted=tuple(counted),
        skipped=tuple(skipped),
        moved=moved,
    )


def add_many(starts, ns, units, schedule: Schedule) -> np.ndarray:
    """`add` over arrays: starts (datetime64[D] or dates), ns (ints), units (one unit or an array).

    Returns a datetime64[D] array. Every element follows exactly the rules of `add`; the
    work is three table look-ups per element, done by numpy.
    """
    starts = np.asarray(starts)
    if starts.dtype != np.dtype("datetime64[D]"):
        starts = starts.astype("datetime64[D]")
    s = starts.view(np.int64) - (schedule._first - _EPOCH_ORDINAL)
    n = np.asarray(ns, dtype=np.int64)
    s, n = np.broadcast_arrays(s, n)
    if s.size == 0:
        return np.empty(s.shape, dtype="datetime64[D]")
    if s.min() < 0 or s.max() >= schedule._span:
        bad = int(np.flatnonzero((s < 0) | (s >= schedule._span))[0])
        raise OutOfRange(
            "start",
            f"element {bad}: {starts.flat[bad]} is outside the working-day calendar "
            f"({schedule.first_date} to {schedule.last_date})",
        )
    if n.min() < 0:
        bad = int(np.flatnonzero(n < 0)[0])
        raise InvalidLimit("n", f"element {bad}: a limit must be 0 or more, got {n.flat[bad]}")

    workday = _workday_mask(units, s.shape)
    # Same two formulas as add(); n = 0 takes the day formula (next working day on or after start).
    by_workday = None
    if workday is not False:
        k = np.take(schedule._np_working_through, s)
        k += n
        k -= 1
        by_workday = np.take(schedule._np_work_days, k, mode="clip")
    by_day = None
    if workday is not True:
        t = s + n
        by_day = np.take(schedule._np_next_working, t, mode="clip")
    if workday is True:
        due = by_workday
        zero = n == 0
        if zero.any():
            due[zero] = np.take(schedule._np_next_working, s[zero])
    elif workday is False:
        due = by_day
    else:
        due = np.where(workday & (n > 0), by_workday, by_day)
    if due.min() == _BEYOND:
        bad = int(np.flatnonzero(due == _BEYOND)[0])
        raise OutOfRange(
            "n",
            f"element {bad}: a limit of {n.flat[bad]} from {starts.flat[bad]} ends after "
            f"{schedule.last_date}, the end of the working-day calendar",
        )
    return due.view("datetime64[D]")


def _workday_mask(units, shape) -> np.ndarray | bool:
    """True/False when every element has the same unit, else a boolean array (True = workday)."""
    if isinstance(units, str):
        if units == _WORKDAY:
            return True
        if units == _DAY:
            return False
        raise InvalidLimit("unit", f"expected 'workday' or 'day', got {units!r}")
    units = np.asarray(units)
    if units.dtype.kind not in "UO":
        raise InvalidLimit("unit", f"expected 'workday' or 'day' values, got an array of {units.dtype}")
    workday = units == _WORKDAY
    if not (workday | (units == _DAY)).all():
        bad = int(np.flatnonzero(~(workday | (units == _DAY)))[0])
        raise InvalidLimit("unit", f"element {bad}: expected 'workday' or 'day', got {str(units.flat[bad])!r}")
    return np.broadcast_to(workday, shape)

