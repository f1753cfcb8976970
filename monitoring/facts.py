"""Per-case times for the fact table, from one application's stages and pauses: pure.

The time rule: the day of the start is not counted. A stage held from its start date to
the day it ended, minus the days the customer held the file (pauses), is its grid-side
time; counted in working days (stored on the stage by the clock) or in calendar days."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PauseSpan:
    start: date
    end: date | None  # None: still paused


@dataclass(frozen=True)
class StageTimes:
    code: str
    unit: str
    limit: int | None
    start: date
    end: date
    due: date | None
    workdays_held: int  # pauses excluded, as the clock stored it
    pauses: tuple[PauseSpan, ...] = ()

    @property
    def days_held(self) -> int:
        paused = sum(((p.end or self.end) - max(p.start, self.start)).days for p in self.pauses
                     if (p.end or self.end) > max(p.start, self.start))
        return max((self.end - self.start).days - paused, 0)

    def held(self, unit: str) -> int:
        return self.days_held if unit == "day" else self.workdays_held

    @property
    def within(self) -> bool | None:
        return None if self.due is None else self.end <= self.due


def grid_side(stages: Iterable[StageTimes], unit: str) -> int:
    return sum(stage.held(unit) for stage in stages)
