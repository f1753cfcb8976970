"""Live values of the indicators a task is measured by: a registry the monitoring app fills.

`SOURCES[code]` is a function (region, target params) -> LiveValue | None. Until a source for
a code is registered, or while it has nothing to say, a task shows "尚无数据" — never a number
made up here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable


@dataclass(frozen=True)
class LiveValue:
    value: float
    unit: str  # workday | day | hour | percent
    as_of: date
    period: str  # e.g. "2026-11" or "2026"
    sample: int | None = None  # how many cases the value is computed from


Source = Callable[..., "LiveValue | None"]
SOURCES: dict[str, Source] = {}


def register(code: str) -> Callable[[Source], Source]:
    def add(fn: Source) -> Source:
        SOURCES[code] = fn
        return fn

    return add


def value_for(*, region: str, target: dict) -> LiveValue | None:
    source = SOURCES.get(target["code"])
    if source is None:
        return None
    return source(region=region, **target.get("params", {}))


def meets(target: dict, live: LiveValue | None) -> bool | None:
    """Does the live value meet the target? None when unknown or not comparable."""
    if live is None or live.unit != target["unit"]:
        return None
    if target["kind"] in ("limit", "average"):
        return live.value <= target["value"]
    if target["kind"] == "share":
        return live.value >= target["value"]
    return live.value >= target["value"]  # relative: a reduction of at least the target
