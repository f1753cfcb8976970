"""What one policy version says for one application. Pure (no Django).

`policy` is a resolved `PolicyDocument`, or its stored JSON (what an application pins).
Errors are `ResolutionError` with the name of the input that does not fit, so callers can
turn them into the one error shape.
"""
from __future__ import annotations

from typing import Any

from policies.schema import Criteria, InvestmentBoundary, PolicyDocument, Quantity, Stage
from policies.units import no_looser

SUPPLIES = ("single", "dual")


class ResolutionError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def document(policy: PolicyDocument | dict[str, Any]) -> PolicyDocument:
    return policy if isinstance(policy, PolicyDocument) else PolicyDocument.model_validate(policy)


def voltage_class(policy: PolicyDocument | dict[str, Any], voltage_kv: float) -> str:
    doc = document(policy)
    if voltage_kv is None or voltage_kv <= 0:
        raise ResolutionError("voltage_kv", "must be a positive number of kV")
    classes = doc.voltage_classes
    if classes is None:
        raise ResolutionError("voltage_kv", f"{doc.region} {doc.version} defines no voltage classes")
    if voltage_kv <= classes.lv.max.value:
        return "lv"
    if voltage_kv >= classes.hv.min.value:
        return "hv"
    raise ResolutionError(
        "voltage_kv",
        f"{voltage_kv} kV is neither {classes.lv.name} (≤ {classes.lv.max}) nor {classes.hv.name} (≥ {classes.hv.min})",
    )


def _capacity_fits(bound: Quantity, capacity_kva: float, capacity_kw: float | None) -> bool:
    if bound.unit == "kVA":
        return capacity_kva <= bound.value
    # Real power never exceeds apparent power (kW ≤ kVA), so kVA within a kW bound is
    # sufficient; a customer above it in kVA but within it in kW passes capacity_kw.
    return (capacity_kw if capacity_kw is not None else capacity_kva) <= bound.value


def resolve_category(
    policy: PolicyDocument | dict[str, Any],
    *,
    voltage_kv: float,
    capacity_kva: float,
    supply: str,
    important: bool = False,
    sanling: bool = False,
    residential: bool = False,
    conditional: bool = False,
    capacity_kw: float | None = None,
) -> str:
    """The code of the category whose `applies_to` fits; the most specific one wins."""
    doc = document(policy)
    if supply not in SUPPLIES:
        raise ResolutionError("supply", f"must be one of {', '.join(SUPPLIES)}")
    if capacity_kva is None or capacity_kva < 0:
        raise ResolutionError("capacity_kva", "must be zero or more")
    level = voltage_class(doc, voltage_kv)
    facts = {
        "supply": supply,
        "residential": residential,
        "sanling": sanling,
        "important": important,
        "conditional": conditional,
    }
    matches: list[tuple[int, str]] = []
    for code, category in doc.categories.items():
        rule = category.applies_to
        if rule is None or rule.voltage != level:
            continue
        if rule.voltage_kv_min is not None and voltage_kv < rule.voltage_kv_min.value:
            continue
        if rule.voltage_kv_below is not None and voltage_kv >= rule.voltage_kv_below.value:
            continue
        if any(getattr(rule, name) is not None and getattr(rule, name) != value for name, value in facts.items()):
            continue
        if rule.capacity_max is not None and not _capacity_fits(rule.capacity_max, capacity_kva, capacity_kw):
            continue
        matches.append((len(rule.criteria()), code))
    if not matches:
        raise ResolutionError(
            "category", f"no customer category of {doc.region} {doc.version} fits {level} {voltage_kv} kV {supply} supply"
        )
    matches.sort(reverse=True)
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        tied = [code for n, code in matches if n == matches[0][0]]
        raise ResolutionError("category", f"{doc.region} {doc.version}: categories {tied} fit equally; the policy is ambiguous")
    return matches[0][1]


def _category(doc: PolicyDocument, category: str):
    if category not in doc.categories:
        raise ResolutionError("category", f"{doc.region} {doc.version} has no category '{category}'")
    return doc.categories[category]


def stages_for(policy: PolicyDocument | dict[str, Any], category: str, *, important: bool = False) -> list[Stage]:
    """The stages an application of this category goes through, in order."""
    doc = document(policy)
    return [s for s in _category(doc, category).stages if s.when is None or (s.when == "important" and important)]


def allowed_documents(policy: PolicyDocument | dict[str, Any], category: str, stage: str) -> list[str]:
    """The closed list for one stage: anything else asked of the applicant is refused."""
    doc = document(policy)
    for each in _category(doc, category).stages:
        if each.code == stage:
            return list(each.documents.required) if each.documents else []
    raise ResolutionError("stage", f"category '{category}' of {doc.region} {doc.version} has no stage '{stage}'")


def zero_investment_threshold(policy: PolicyDocument | dict[str, Any], *, scope: str, area: str) -> Quantity | None:
    """The kW threshold of a zero-investment group for an area category; None: no figure."""
    doc = document(policy)
    if doc.zero_investment is None or scope not in doc.zero_investment.scope:
        raise ResolutionError("scope", f"{doc.region} {doc.version} has no zero-investment group '{scope}'")
    thresholds = doc.zero_investment.scope[scope].thresholds
    if doc.zero_investment.area_map is not None:
        if area not in doc.zero_investment.area_map:
            raise ResolutionError("area", f"unknown area category '{area}'")
        group = doc.zero_investment.area_map[area]
        if group in thresholds:
            return thresholds[group]
    return thresholds.get("all")


def zero_investment_applies(
    policy: PolicyDocument | dict[str, Any], *, category: str, area: str, capacity_kva: float, capacity_kw: float | None = None
) -> bool:
    """Whether the customer pays nothing for the connection works (三零's 零投资).

    Any group covering the category qualifies the customer: a group with a kW threshold
    when the capacity fits it, a group named without a figure for the whole category. A
    figure added later widens zero investment to more customers and never narrows a group
    already promised (the wider reading; notes sx-zero-investment-scope, zz-zero-investment-scope)."""
    doc = document(policy)
    if doc.zero_investment is None:
        return False
    for code, scope in doc.zero_investment.scope.items():
        if category not in scope.categories:
            continue
        threshold = zero_investment_threshold(doc, scope=code, area=area)
        if threshold is None or _capacity_fits(threshold, capacity_kva, capacity_kw):
            return True
    return False


def investment_boundary(
    policy: PolicyDocument | dict[str, Any],
    category: str,
    *,
    conditions: tuple[str, ...] = (),
    area: str | None = None,
    capacity_kva: float | None = None,
) -> list[InvestmentBoundary]:
    """Boundaries in force for the category. A conditional one (park, key project) applies
    only when one of its conditions is among `conditions`; one limited to some areas or
    capacities only when `area` / `capacity_kva` are given and fit."""
    doc = document(policy)
    _category(doc, category)
    found = []
    for b in doc.investment_boundary:
        if b.status != "in_force" or category not in b.categories:
            continue
        if b.conditions and not any(c in conditions for c in b.conditions):
            continue
        if b.areas and area not in b.areas:
            continue
        if b.capacity_max is not None and (capacity_kva is None or not _capacity_fits(b.capacity_max, capacity_kva, None)):
            continue
        found.append(b)
    return found


def _fits(criteria: Criteria, *, voltage_kv: float, supply: str, capacity_kva: float) -> bool:
    if criteria.voltage_kv is not None and voltage_kv != criteria.voltage_kv.value:
        return False
    if criteria.supply is not None and supply != criteria.supply:
        return False
    return criteria.capacity_max is None or _capacity_fits(criteria.capacity_max, capacity_kva, None)


def onsite_scheme_reply_applies(
    policy: PolicyDocument | dict[str, Any], *, voltage_kv: float, supply: str, capacity_kva: float
) -> bool:
    """The supply scheme may be answered at the site survey (Shaanxi: ≤1250 kVA, 10 kV single)."""
    rule = document(policy).onsite_scheme_reply
    return rule is not None and _fits(rule.applies_to, voltage_kv=voltage_kv, supply=supply, capacity_kva=capacity_kva)


def transitional_scheme_applies(
    policy: PolicyDocument | dict[str, Any], *, voltage_kv: float, supply: str, capacity_kva: float
) -> bool:
    """A constrained grid gets the customer a transitional scheme plus a linked upgrade."""
    rule = document(policy).transitional_scheme
    return rule is not None and _fits(rule.applies_to, voltage_kv=voltage_kv, supply=supply, capacity_kva=capacity_kva)


def stages_beyond_promise(policy: PolicyDocument | dict[str, Any], category: str, *, important: bool = False) -> int:
    """How many more stages a case of this category goes through than the policy's promise
    of at most N stages (Zaozhuang "高、低压用户办电环节压减至4个、2个以内"); 0 within it or
    where no such promise is made. Measured per case: `important` picks the case's stages."""
    doc = document(policy)
    promise = _category(doc, category).max_stages
    if promise is None:
        return 0
    return max(0, len(stages_for(doc, category, important=important)) - int(promise.value))


def next_day_applies(policy: PolicyDocument | dict[str, Any], *, voltage_kv: float, no_works: bool) -> bool:
    """Whether "当日申请，次日接电" binds the case: the policy says it, for this voltage class, to
    customers with no works (Zaozhuang 二 办电更省时: 对无工程的低压用户)."""
    doc = document(policy)
    rule = doc.next_day_connection
    if rule is None or (rule.no_works and not no_works):
        return False
    return voltage_class(doc, voltage_kv) == rule.voltage


def full_process_limit(
    policy: PolicyDocument | dict[str, Any], category: str, *, voltage_kv: float, no_works: bool = False
) -> Quantity | None:
    """The per-case limit on the whole process, from the application day to energisation: the
    category's own full-process limit, or the next-day rule where it binds the case, whichever
    promises more (both may bind; the tighter one is the promise). None: the policy sets none."""
    doc = document(policy)
    own = _category(doc, category).full_process_limit
    limits = [own] if own is not None and own.kind == "limit" else []
    if next_day_applies(doc, voltage_kv=voltage_kv, no_works=no_works):
        limits.append(doc.next_day_connection.limit)
    tightest: Quantity | None = None
    for limit in limits:
        if tightest is None or not no_looser(tightest, limit):
            tightest = limit
    return tightest
