"""Full-process time (全流程办理时长) of one application, split into grid-side, approval and
customer time. Pure: plain dates in, plain numbers out, no Django.

Days are counted as the clock counts them: the day of the first submission is not counted,
the end day (energised, or today while open) is. Each counted day belongs to exactly one
part, in this order: customer (a customer-side pause covers it), approval (a department
holds the works), grid (everything else). So grid + approval + customer = total, in
calendar days and in working days alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from workdays import clock

Span = tuple[date, date]  # (start, end]: the start day not counted, the end day counted


@dataclass(frozen=True)
class Split:
    total: int
    grid: int
    approval: int
    customer: int


@dataclass(frozen=True)
class ProcessTime:
    start: date
    end: date
    finished: bool
    days: Split
    workdays: Split
    unit: str  # the policy's unit for this category: grid-side time is reported in it
    counts_approval: bool

    @property
    def grid_side(self) -> int:
        return (self.workdays if self.unit == "workday" else self.days).grid

    @property
    def counted(self) -> int:
        """What a full-process limit compares against, in the policy's unit."""
        split = self.workdays if self.unit == "workday" else self.days
        return split.total - split.customer - (0 if self.counts_approval else split.approval)

    def as_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "finished": self.finished,
            "days": self.days.__dict__,
            "workdays": self.workdays.__dict__,
            "unit": self.unit,
            "grid_side": self.grid_side,
            "counts_approval": self.counts_approval,
            "counted": self.counted,
        }


def _days(span: Span, start: date, end: date) -> set[date]:
    lo, hi = max(span[0], start), min(span[1], end)
    return {lo + timedelta(days=i) for i in range(1, (hi - lo).days + 1)} if hi > lo else set()


def compute(
    *,
    start: date,
    end: date,
    finished: bool,
    customer: list[Span],
    approval: list[Span],
    unit: str,
    counts_approval: bool,
    schedule: clock.Schedule,
) -> ProcessTime:
    if end < start:
        raise ValueError("end is before start")
    if unit not in ("day", "workday"):
        raise ValueError(f"unit must be day or workday, not {unit!r}")
    every = _days((start, end), start, end)
    customer_days = set().union(*(_days(s, start, end) for s in customer)) if customer else set()
    approval_days = (set().union(*(_days(s, start, end) for s in approval)) if approval else set()) - customer_days
    grid_days = every - customer_days - approval_days

    def split(keep) -> Split:
        return Split(
            total=sum(1 for d in every if keep(d)),
            grid=sum(1 for d in grid_days if keep(d)),
            approval=sum(1 for d in approval_days if keep(d)),
            customer=sum(1 for d in customer_days if keep(d)),
        )

    return ProcessTime(
        start=start, end=end, finished=finished,
        days=split(lambda d: True), workdays=split(schedule.is_working),
        unit=unit, counts_approval=counts_approval,
    )
