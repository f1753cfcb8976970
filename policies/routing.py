"""Which approval route a power-access works takes (电力接入工程审批路由). Pure (no Django).

`route()` reads one resolved policy version and the facts staff record about the works
(voltage, capacity, line length, 三零, interested parties, what is crossed) and returns
the routes in the policy's own codes, the departments involved, their limits, the due
date (the earliest of several limits binds) and the policy key path and citation that
decided. Nothing here knows a region: every bound, route and department is policy data.

The reading, in order:
1. The exemption (`approvals.exemption`) applies only when its status is `in_force` and
   every condition it states holds. A condition the policy states without a number
   (`short_distance`) cannot be checked, so it never exempts automatically.
2. Under an exemption, each crossing listed by one of its exceptions takes the case onto
   that exception's routes and departments; no exception triggered means exempt, with no
   department and no due date. A crossing no exception lists leaves the exemption as the
   policy states it.
3. Otherwise the case goes to the voltage class's approval (`approvals.limits.<class>`):
   its routes and limits, to the base departments plus each crossing's departments.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from policies.resolve import ResolutionError, document, voltage_class
from policies.schema import CROSSING_CODES, DEPARTMENT_CODES, ApprovalLimit, Duration, PolicyDocument
from workdays import clock

# Bounds on what a person can mean; beyond them the input is a typo, not a works.
MAX_VOLTAGE_KV = 1000
MAX_KW = 1_000_000
MAX_LENGTH_M = 100_000
# How strongly each route binds, to name the exception that decided when several apply.
ROUTE_WEIGHT = {
    "standard": 6,
    "parallel": 5,
    "road_works_agreement": 4,
    "notification_commitment": 3,
    "advance_notice": 2,
    "filing": 1,
    "cancelled": 0,
    "exempt": 0,
}


# The explanation is read by people; policy codes stay in the structured fields.
VOLTAGE_ZH = {"lv": "低压", "hv": "高压"}
STATUS_ZH = {"in_force": "执行", "pilot": "试点", "explore": "探索", "encouraged": "鼓励"}


class RoutingError(ResolutionError):
    """An input the routing cannot use; `field` names it."""


@dataclass(frozen=True)
class Limit:
    value: int | float
    unit: str
    source: str
    due: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass(frozen=True)
class Routing:
    region: str
    version: str
    voltage_class: str
    routes: list[str]
    exempt: bool
    departments: list[str]
    limits: list[Limit]
    due: date | None
    rule: str
    source: str
    submitted: date
    provisional: bool = False
    why: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "routes": list(self.routes),
            "exempt": self.exempt,
            "departments": list(self.departments),
            "limits": [limit.as_json() for limit in self.limits],
            "due": self.due.isoformat() if self.due else None,
            "rule": self.rule,
            "source": self.source,
            "region": self.region,
            "version": self.version,
            "voltage_class": self.voltage_class,
            "submitted": self.submitted.isoformat(),
            "provisional": self.provisional,
            "why": list(self.why),
        }


def _number(name: str, value: Any, upper: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RoutingError(name, "must be a number")
    if value < 0:
        raise RoutingError(name, "must be zero or more")
    if value > upper:
        raise RoutingError(name, f"must be at most {upper:g}")
    return value


def check_crossings(crossings: list[str] | tuple[str, ...]) -> list[str]:
    unknown = [c for c in crossings if c not in CROSSING_CODES]
    if unknown:
        raise RoutingError("crossing", f"unknown code {unknown[0]!r} (known: {', '.join(CROSSING_CODES)})")
    return [c for c in CROSSING_CODES if c in crossings]


def approval_class(doc: PolicyDocument, level: str, voltage_kv: float) -> tuple[str, ApprovalLimit] | None:
    """The voltage class's approval entry; a class with kV bounds beats one without."""
    if doc.approvals is None:
        return None
    found = []
    for code, entry in doc.approvals.limits.items():
        if entry.voltage != level:
            continue
        if entry.voltage_kv_min is not None and voltage_kv < entry.voltage_kv_min.value:
            continue
        if entry.voltage_kv_max is not None and voltage_kv > entry.voltage_kv_max.value:
            continue
        bounds = (entry.voltage_kv_min is not None) + (entry.voltage_kv_max is not None)
        found.append((-bounds, code, entry))
    if not found:
        return None
    _, code, entry = min(found, key=lambda item: (item[0], item[1]))
    return code, entry


def add_months(start: date, months: int, schedule: clock.Schedule) -> date:
    """A period of months (民法典 §202): it ends on the same day of the month `months` later,
    or that month's last day when it has no such day; a rest day moves it to the next
    working day (§203)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - date.resolution).day
    return clock.add(date(year, month, min(start.day, last)), 0, clock.DAY, schedule)


def _ordered(departments: set[str]) -> list[str]:
    return [d for d in DEPARTMENT_CODES if d in departments]


def _limits(quantities: list[Duration], submitted: date, schedule: clock.Schedule) -> list[Limit]:
    out = []
    for q in quantities:
        try:
            due = clock.add(submitted, int(q.value), q.unit, schedule)
        except clock.OutOfRange as exc:
            raise RoutingError("submitted", exc.reason) from exc
        out.append(Limit(value=q.value, unit=q.unit, source=q.source, due=due))
    return out


def _exemption_holds(doc: PolicyDocument, *, level: str, kw: float, length_m: float, sanling: bool, interested_parties: bool,
                     why: list[str]) -> bool:
    exemption = doc.approvals.exemption if doc.approvals else None
    if exemption is None:
        why.append(f"{doc.name}（{doc.version}版）没有免于行政许可的规定")
        return False
    if exemption.status != "in_force":
        why.append(f"免于行政许可的规定处于“{STATUS_ZH.get(exemption.status, exemption.status)}”阶段，不自动适用")
        return False
    cond = exemption.conditions
    failed = []
    if cond.voltage != level:
        failed.append(f"{VOLTAGE_ZH[level]}工程，免审只适用于{VOLTAGE_ZH[cond.voltage]}")
    if cond.capacity_max is not None and kw > cond.capacity_max.value:
        failed.append(f"容量{kw:g} kW 超过 {cond.capacity_max.value:g} {cond.capacity_max.unit}")
    if cond.line_length_max is not None and length_m > cond.line_length_max.value:
        failed.append(f"管线长度{length_m:g} m 超过 {cond.line_length_max.value:g} m")
    if cond.sanling and not sanling:
        failed.append("不是“三零”服务的工程")
    if cond.no_interested_parties and interested_parties:
        failed.append("有相关利害关系人")
    if cond.short_distance:
        failed.append("“短距离”未给出数值，不能自动认定")
    if failed:
        why.append("不免于行政许可：" + "；".join(failed))
        return False
    why.append("符合免于行政许可的全部条件")
    return True


def route(
    policy: PolicyDocument | dict[str, Any],
    *,
    voltage_kv: float,
    kw: float,
    length_m: float,
    sanling: bool = False,
    interested_parties: bool = False,
    crossings: list[str] | tuple[str, ...] = (),
    submitted: date,
    schedule: clock.Schedule,
) -> Routing:
    doc = document(policy)
    _number("voltage_kv", voltage_kv, MAX_VOLTAGE_KV)
    if voltage_kv == 0:
        raise RoutingError("voltage_kv", "must be a positive number of kV")
    kw = _number("kw", kw, MAX_KW)
    length_m = _number("length_m", length_m, MAX_LENGTH_M)
    crossed = check_crossings(crossings)
    level = voltage_class(doc, voltage_kv)
    why: list[str] = []
    approvals = doc.approvals

    if _exemption_holds(doc, level=level, kw=kw, length_m=length_m, sanling=sanling, interested_parties=interested_parties, why=why):
        exemption = approvals.exemption
        triggered = []
        for index, exception in enumerate(exemption.exceptions):
            hit = [c for c in crossed if c in exception.crossings]
            if hit:
                triggered.append((index, exception, hit))
        if not triggered:
            if crossed:
                why.append("所穿越的对象不在免审的例外之列")
            return Routing(
                region=doc.region, version=doc.version, voltage_class=level, routes=list(exemption.routes),
                exempt=True, departments=[], limits=[], due=None, rule="approvals.exemption",
                source=exemption.source, submitted=submitted, why=why,
            )
        routes: list[str] = []
        departments: set[str] = set()
        quantities: list[Duration] = []
        entry = approval_class(doc, level, voltage_kv)
        for _index, exception, hit in triggered:
            why.append(f"本工程涉及“{exception.works}”，按该例外办理")
            routes += [r for r in exception.routes if r not in routes]
            if exception.departments:
                departments |= set(exception.departments)
            else:
                for c in hit:
                    if c in approvals.crossings:
                        departments |= set(approvals.crossings[c].departments)
            if exception.advance_notice is not None:
                quantities.append(exception.advance_notice)
            if "standard" in exception.routes:
                if approvals.base is not None:
                    departments |= set(approvals.base.departments)
                if entry is not None:
                    quantities += entry[1].limits
        index, deciding, _ = max(triggered, key=lambda t: (max(ROUTE_WEIGHT.get(r, 0) for r in t[1].routes), -t[0]))
        limits = _limits(quantities, submitted, schedule)
        return Routing(
            region=doc.region, version=doc.version, voltage_class=level, routes=routes, exempt=False,
            departments=_ordered(departments), limits=limits, due=min((x.due for x in limits), default=None),
            rule=f"approvals.exemption.exceptions[{index}]", source=deciding.source, submitted=submitted,
            provisional=_provisional(limits, submitted, schedule), why=why,
        )

    entry = approval_class(doc, level, voltage_kv)
    departments = set(approvals.base.departments) if approvals and approvals.base else set()
    for c in crossed:
        if approvals and c in approvals.crossings:
            departments |= set(approvals.crossings[c].departments)
    if entry is None:
        why.append(f"{doc.name}（{doc.version}版）未规定{VOLTAGE_ZH[level]}电力接入工程的审批")
        return Routing(
            region=doc.region, version=doc.version, voltage_class=level, routes=["standard"], exempt=False,
            departments=_ordered(departments), limits=[], due=None, rule="approvals.limits",
            source=approvals.base.source if approvals and approvals.base else "", submitted=submitted, why=why,
        )
    code, limit_entry = entry
    limits = _limits(limit_entry.limits, submitted, schedule)
    if not limits:
        why.append(f"{limit_entry.name}：政策未给出审批时限")
    elif len(limits) > 1:
        why.append("多个时限同时适用，以先到期者为准")
    return Routing(
        region=doc.region, version=doc.version, voltage_class=level, routes=list(limit_entry.routes) or ["standard"],
        exempt=False, departments=_ordered(departments), limits=limits,
        due=min((x.due for x in limits), default=None), rule=f"approvals.limits.{code}", source=limit_entry.source,
        submitted=submitted, provisional=_provisional(limits, submitted, schedule), why=why,
    )


def _provisional(limits: list[Limit], submitted: date, schedule: clock.Schedule) -> bool:
    last = max((x.due for x in limits if x.due), default=None)
    return last is not None and schedule.is_provisional(submitted, last)
