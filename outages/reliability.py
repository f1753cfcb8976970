"""Reliability indices after DL/T 836.1-2016, with the IEEE 1366 names alongside.

Pure: plain data in, plain data out, no Django. The database report (`outages.queries`)
computes the same numbers with SQL aggregates and is tested against this module.

Definitions used everywhere in getpower:
- Times are whole seconds on one local clock (Asia/Shanghai has no DST), so the sums are
  exact integers on every database and here.
- A customer interruption is an event's interval applied to every customer in its scope
  (a customer, a transformer's customers or a feeder's customers).
- Interruptions lasting ≤ 3 minutes are short interruptions (DL/T 836.1 瞬时停电): left
  out of every index and counted apart, per customer.
- Time outside the period is clipped.
- Overlapping (or touching) interruptions of one customer count once: the union of their
  intervals is one interruption. Each view (all, excl. external, planned, ...) merges its
  own subset, so planned + fault may exceed the total when they overlap.

Indices over `customers` customers in a period of `period_hours` hours:
- AIHC-1 / SAIDI  = customer-hours of interruption ÷ customers
- AIHC-2          = the same excluding cause `external` (外部影响)
- AIHC-3          = the same excluding cause `supply_shortage` (系统电源不足)
- AITC-1 / SAIFI  = customer interruptions ÷ customers
- CAIDI           = SAIDI ÷ SAIFI (None when there was no interruption)
- RS-1            = (1 − AIHC-1 ÷ period hours) × 100 %
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

SHORT_SECONDS = 180
AREAS = ("city_core", "urban", "town", "rural")
KINDS = ("planned", "fault")
SCOPE_TYPES = ("customer", "transformer", "feeder")
EXTERNAL = "external"
SUPPLY_SHORTAGE = "supply_shortage"
# 设备 / 天气 / 外部影响 / 系统电源不足 / 检修 / 施工 / 用户 / 其他
CAUSES = ("equipment", "weather", "external", "supply_shortage", "maintenance", "construction", "customer", "other")
DIGITS = 6  # rounding of the published figures; sums stay exact integers until then


@dataclass(frozen=True, slots=True)
class Customer:
    customer_id: str
    transformer_id: str
    feeder_id: str
    county: str
    area: str


@dataclass(frozen=True, slots=True)
class Interruption:
    """One customer's interruption: [start, end) in epoch seconds of local time."""

    customer_id: str
    start: int
    end: int
    kind: str
    cause: str


@dataclass(frozen=True, slots=True)
class Event:
    """An outage event as imported: its scope is expanded to customers by `expand`."""

    event_id: str
    kind: str
    cause: str
    start: datetime
    end: datetime
    scope_type: str
    scope_id: str


def seconds(moment: datetime) -> int:
    """Whole seconds of a naive local time (the clock every figure is computed on)."""
    return int((moment.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds())


def expand(customers: Iterable[Customer], events: Iterable[Event]) -> list[Interruption]:
    """Each event applied to each customer of its scope."""
    by_scope: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in customers:
        by_scope[("customer", c.customer_id)].append(c.customer_id)
        by_scope[("transformer", c.transformer_id)].append(c.customer_id)
        by_scope[("feeder", c.feeder_id)].append(c.customer_id)
    out = []
    for e in events:
        start, end = seconds(e.start), seconds(e.end)
        for customer_id in by_scope.get((e.scope_type, e.scope_id), ()):
            out.append(Interruption(customer_id, start, end, e.kind, e.cause))
    return out


@dataclass(frozen=True, slots=True)
class Totals:
    """Exact integer sums for one group: the rest is arithmetic on these."""

    customers: int
    seconds: int = 0
    interruptions: int = 0
    seconds_excl_external: int = 0
    seconds_excl_shortage: int = 0
    short_interruptions: int = 0


def merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of intervals; touching intervals join (the customer never had supply back)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _customer_totals(rows: list[Interruption], period_start: int, period_end: int,
                     keep: Callable[[Interruption], bool]) -> tuple[int, int, int, int, int]:
    """(seconds, interruptions, seconds excl. external, seconds excl. shortage, short) for one customer."""
    short = 0
    clipped: list[tuple[int, int, str]] = []
    for r in rows:
        if not keep(r):
            continue
        start, end = max(r.start, period_start), min(r.end, period_end)
        if end <= start:
            continue
        if r.end - r.start <= SHORT_SECONDS:
            short += 1
            continue
        clipped.append((start, end, r.cause))
    every = merged([(s, e) for s, e, _ in clipped])
    no_external = merged([(s, e) for s, e, c in clipped if c != EXTERNAL])
    no_shortage = merged([(s, e) for s, e, c in clipped if c != SUPPLY_SHORTAGE])
    return (sum(e - s for s, e in every), len(every), sum(e - s for s, e in no_external),
            sum(e - s for s, e in no_shortage), short)


def indices(totals: Totals, period_seconds: int) -> dict:
    """The published figures of one group."""
    n = totals.customers
    saidi = totals.seconds / 3600 / n if n else 0.0
    saifi = totals.interruptions / n if n else 0.0
    return {
        "customers": n,
        "period_hours": round(period_seconds / 3600, DIGITS),
        "saidi_hours": round(saidi, DIGITS),
        "saidi_excl_external_hours": round(totals.seconds_excl_external / 3600 / n if n else 0.0, DIGITS),
        "saidi_excl_shortage_hours": round(totals.seconds_excl_shortage / 3600 / n if n else 0.0, DIGITS),
        "saifi": round(saifi, DIGITS),
        "caidi_hours": round(totals.seconds / 3600 / totals.interruptions, DIGITS) if totals.interruptions else None,
        "rs1_percent": round(100 * (1 - saidi * 3600 / period_seconds), DIGITS) if period_seconds else None,
        "short_interruptions": totals.short_interruptions,
    }


def add(a: Totals, b: Totals) -> Totals:
    return Totals(*(x + y for x, y in zip(
        (a.customers, a.seconds, a.interruptions, a.seconds_excl_external, a.seconds_excl_shortage,
         a.short_interruptions),
        (b.customers, b.seconds, b.interruptions, b.seconds_excl_external, b.seconds_excl_shortage,
         b.short_interruptions), strict=True)))


def totals_by(customers: Iterable[Customer], interruptions: Iterable[Interruption], *, period_start: int,
              period_end: int, group: Callable[[Customer], str],
              keep: Callable[[Interruption], bool] = lambda r: True) -> dict[str, Totals]:
    """Exact totals per group key (every customer counts in its group's denominator)."""
    rows_of: dict[str, list[Interruption]] = defaultdict(list)
    for r in interruptions:
        rows_of[r.customer_id].append(r)
    out: dict[str, Totals] = {}
    for c in customers:
        key = group(c)
        mine = _customer_totals(rows_of.get(c.customer_id, []), period_start, period_end, keep)
        out[key] = add(out.get(key, Totals(0)), Totals(1, *mine))
    return out


def report(customers: list[Customer], interruptions: list[Interruption], *, period_start: int,
           period_end: int) -> dict:
    """The `getpower reliability compute` document: all, by area, by county, planned, fault."""
    period = period_end - period_start
    whole = totals_by(customers, interruptions, period_start=period_start, period_end=period_end,
                      group=lambda c: "all").get("all", Totals(0))
    doc = indices(whole, period)
    doc["by_area"] = {k: indices(t, period) for k, t in sorted(totals_by(
        customers, interruptions, period_start=period_start, period_end=period_end, group=lambda c: c.area).items())}
    doc["by_county"] = {k: indices(t, period) for k, t in sorted(totals_by(
        customers, interruptions, period_start=period_start, period_end=period_end, group=lambda c: c.county).items())}
    for kind in KINDS:
        t = totals_by(customers, interruptions, period_start=period_start, period_end=period_end,
                      group=lambda c: "all", keep=lambda r, kind=kind: r.kind == kind).get("all", Totals(0))
        doc[kind] = indices(t, period)
    return doc


def target_met(*, saidi_hours: float, target_hours: float | None, previous_hours: float | None,
               yoy_percent: float | None) -> dict:
    """Against the year's policy target: met if SAIDI is within the target, or — where the policy
    says "或年均同比压缩8%以上" — if it fell by at least that share from last year."""
    within = None if target_hours is None else saidi_hours <= target_hours
    reduced = None
    change = None
    if previous_hours:
        change = round(100 * (saidi_hours - previous_hours) / previous_hours, 2)
        if yoy_percent is not None:
            reduced = saidi_hours <= previous_hours * (1 - yoy_percent / 100)
    verdicts = [v for v in (within, reduced) if v is not None]
    return {
        "target_hours": target_hours,
        "yoy_reduction_percent": yoy_percent,
        "previous_hours": previous_hours,
        "change_percent": change,
        "within_target": within,
        "yoy_met": reduced,
        "met": any(verdicts) if verdicts else None,
    }
