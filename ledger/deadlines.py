"""Deadlines as the seeds write them, read into dates. Pure: no Django.

The seeds' 完成时间 column says "2021 年 6 月底前", "2021年3月底前", "2021 年 5 月 15 日前",
"2022年底前", "2021 年 6 月底" (spacing varies), "已实现，持续巩固提升。" / "已完成 巩固推进"
(done, keep it up) or "持续推进" / "持续开展" (no end). A task's own text may name milestones:
"2021年上半年率先完成……", "于2021年7月底前报……".

A deadline "X月底前" is met by work finished on the month's last day, so the date is that day;
"X年底前" is 31 December; "X月Y日前" is day Y (the seeds use it for "by", not "before").
"""
from __future__ import annotations

import calendar as _stdlib_calendar
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class DeadlineKind(str, Enum):
    DATE = "date"
    DONE_ONGOING = "done_ongoing"
    ONGOING = "ongoing"


@dataclass(frozen=True)
class Milestone:
    on: date
    text: str  # the words of the task that name it, e.g. "2021年上半年"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    on: date | None = None
    milestones: tuple[Milestone, ...] = field(default=())


_S = r"\s*"
_YEAR = rf"(?P<year>\d{{4}}){_S}年"
_DATE_PATTERNS = [
    # 2021 年 5 月 15 日前
    re.compile(rf"{_YEAR}{_S}(?P<month>\d{{1,2}}){_S}月{_S}(?P<day>\d{{1,2}}){_S}日{_S}(?:前)?"),
    # 2021 年 6 月底前 / 2021 年 6 月底
    re.compile(rf"{_YEAR}{_S}(?P<month>\d{{1,2}}){_S}月{_S}底{_S}(?:前)?"),
    # 2022年底前 / 2022 年底
    re.compile(rf"{_YEAR}{_S}底{_S}(?:前)?"),
    # 2021年上半年 / 下半年
    re.compile(rf"{_YEAR}{_S}(?P<half>[上下]){_S}半年"),
]
_DONE_ONGOING = re.compile(r"已(?:实现|完成)[\s，,、]*(?:持续)?巩固(?:提升|推进)[。.]?")
_ONGOING = re.compile(r"持续(?:推进|开展)[。.]?")
_ALREADY = re.compile(r"\s*已")


class DeadlineError(ValueError):
    """The text is not a deadline the seeds use; the message quotes it."""


def _month_end(year: int, month: int) -> date:
    return date(year, month, _stdlib_calendar.monthrange(year, month)[1])


def _date_of(match: re.Match) -> date:
    parts = match.groupdict()
    year = int(parts["year"])
    if not 1900 <= year <= 2999:
        raise DeadlineError(f"year out of range in '{match.group(0)}'")
    if parts.get("half"):
        return date(year, 6, 30) if parts["half"] == "上" else date(year, 12, 31)
    month = parts.get("month")
    if month is None:
        return date(year, 12, 31)
    month = int(month)
    if not 1 <= month <= 12:
        raise DeadlineError(f"no month {month} in '{match.group(0)}'")
    if parts.get("day"):
        try:
            return date(year, month, int(parts["day"]))
        except ValueError:
            raise DeadlineError(f"no such day in '{match.group(0)}'") from None
    return _month_end(year, month)


def parse_deadline(text: str) -> Deadline:
    """The 完成时间 cell of a seed row, whole: one date, done_ongoing or ongoing."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise DeadlineError("empty deadline")
    if _DONE_ONGOING.fullmatch(cleaned):
        return Deadline(DeadlineKind.DONE_ONGOING)
    if _ONGOING.fullmatch(cleaned):
        return Deadline(DeadlineKind.ONGOING)
    for pattern in _DATE_PATTERNS[:3]:
        match = pattern.fullmatch(cleaned)
        if match:
            return Deadline(DeadlineKind.DATE, _date_of(match))
    raise DeadlineError(f"not a deadline the seeds use: '{cleaned}'")


def find_milestones(task_text: str) -> tuple[Milestone, ...]:
    """Dated milestones written inside a task's text, in order of appearance, each once."""
    found: list[tuple[int, Milestone]] = []
    taken: list[range] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(task_text or ""):
            span = range(match.start(), match.end())
            if any(span.start < t.stop and t.start < span.stop for t in taken):
                continue  # "2021年3月底前" is not also "2021年底"
            if _ALREADY.match(task_text, match.end()):
                continue  # "在2020年底已实现……的基础上": a past result, not a milestone
            try:
                on = _date_of(match)
            except DeadlineError:
                continue
            taken.append(span)
            found.append((match.start(), Milestone(on, match.group(0).strip())))
    return tuple(m for _, m in sorted(found, key=lambda item: item[0]))


def read(*, deadline_text: str, task_text: str) -> Deadline:
    """A seed row's deadline with the milestones its task text names (excluding one that
    merely repeats the deadline itself)."""
    deadline = parse_deadline(deadline_text)
    milestones = tuple(m for m in find_milestones(task_text) if m.on != deadline.on)
    return Deadline(deadline.kind, deadline.on, milestones)
