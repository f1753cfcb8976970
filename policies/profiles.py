"""One-way rules per customer: what one customer gets from consecutive versions. Pure.

A rule such as "zero investment never shrinks" (ZJ 附件2 第37项, SX 台账第38项) is about
customers, not keys: a new threshold can look wider while a category cap or a replaced
group takes zero investment away from someone who had it. So every customer profile at the
edges the documents draw (each capacity figure and just above it, every area, every flag)
is resolved in both versions and compared.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from policies.resolve import ResolutionError, resolve_category, zero_investment_applies
from policies.schema import AREAS, PolicyDocument, Quantity

FLAGS = ("residential", "sanling", "important", "conditional")


@dataclass(frozen=True)
class Customer:
    voltage_kv: float
    capacity_kva: float
    supply: str
    area: str
    residential: bool = False
    sanling: bool = False
    important: bool = False
    conditional: bool = False

    def describe(self) -> str:
        flags = [name for name in FLAGS if getattr(self, name)]
        shown = f"{self.voltage_kv:g} kV {self.capacity_kva:g} kVA {self.supply} supply, {self.area}"
        return shown + (f", {'/'.join(flags)}" if flags else "")


def _category(doc: PolicyDocument, customer: Customer) -> str | None:
    try:
        return resolve_category(
            doc,
            voltage_kv=customer.voltage_kv,
            capacity_kva=customer.capacity_kva,
            supply=customer.supply,
            important=customer.important,
            sanling=customer.sanling,
            residential=customer.residential,
            conditional=customer.conditional,
        )
    except ResolutionError:
        return None


def zero_investment(doc: PolicyDocument, customer: Customer) -> str | None:
    """The category under which the customer pays nothing for the connection, or None."""
    category = _category(doc, customer)
    if category is None:
        return None
    applies = zero_investment_applies(doc, category=category, area=customer.area, capacity_kva=customer.capacity_kva)
    return category if applies else None


def _capacities(docs: Iterable[PolicyDocument]) -> list[float]:
    """Every capacity figure the documents draw a line at, the figure and just above it."""
    figures: set[float] = {1.0}
    for doc in docs:
        quantities: list[Quantity] = []
        for category in doc.categories.values():
            if category.applies_to is not None and category.applies_to.capacity_max is not None:
                quantities.append(category.applies_to.capacity_max)
        if doc.zero_investment is not None:
            for scope in doc.zero_investment.scope.values():
                quantities += list(scope.thresholds.values())
        if doc.connection is not None:
            quantities.append(doc.connection.lv_capacity_max)
        for quantity in quantities:
            figures |= {float(quantity.value), float(quantity.value) + 1, float(quantity.value) + 20}
    return sorted(figures)


def _voltages(docs: Iterable[PolicyDocument]) -> list[float]:
    found: set[float] = set()
    for doc in docs:
        if doc.voltage_classes is not None:
            found |= {float(doc.voltage_classes.lv.max.value), float(doc.voltage_classes.hv.min.value)}
        for category in doc.categories.values():
            rule = category.applies_to
            if rule is not None and rule.voltage_kv_min is not None:
                found.add(float(rule.voltage_kv_min.value))
    return sorted(found)


def customers(docs: list[PolicyDocument]) -> Iterator[Customer]:
    for voltage, capacity, supply, flags, area in itertools.product(
        _voltages(docs), _capacities(docs), ("single", "dual"), itertools.product((False, True), repeat=len(FLAGS)), AREAS
    ):
        yield Customer(voltage, capacity, supply, area, **dict(zip(FLAGS, flags, strict=True)))


def zero_investment_lost(new: PolicyDocument, old: PolicyDocument, label: str) -> list[tuple[str, str]]:
    """(key, message) per customer who has zero investment under `old` and not under `new`."""
    if old.zero_investment is None:
        return []
    lost: dict[str, list[Customer]] = {}
    in_scope = {c for scope in old.zero_investment.scope.values() for c in scope.categories}
    resolved: dict[tuple, tuple[str | None, str | None]] = {}
    for customer in customers([old, new]):
        # The category does not depend on the area: resolve once per profile, not per area.
        facts = (customer.voltage_kv, customer.capacity_kva, customer.supply) + tuple(getattr(customer, f) for f in FLAGS)
        if facts not in resolved:
            before_category = _category(old, customer)
            resolved[facts] = (before_category, _category(new, customer) if before_category in in_scope else None)
        before_category, after_category = resolved[facts]
        if before_category not in in_scope:
            continue
        area, kva = customer.area, customer.capacity_kva
        if not zero_investment_applies(old, category=before_category, area=area, capacity_kva=kva):
            continue
        if after_category is None or not zero_investment_applies(new, category=after_category, area=area, capacity_kva=kva):
            lost.setdefault(before_category, []).append(customer)
    found = []
    for category, who in lost.items():
        key = f"zero_investment.customer.{category}"
        more = f" (and {len(who) - 1} more profiles)" if len(who) > 1 else ""
        found.append(
            (key, f"{key}: a {who[0].describe()} customer has zero investment under {label} ({category}) but not here{more}")
        )
    return found
