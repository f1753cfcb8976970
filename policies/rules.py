"""Never loosen, by any route: one declared table of (key path pattern, direction), one walk.

Pure (no Django). `compare(new, old, ...)` walks the older (or parent) document and, at every
key path, applies the direction the table declares for it. `*` stands for a code (a category,
a stage, a target ...) or a year.city_group.area of a reliability target. A path with no rule
is itself a finding, and `uncovered()` lists the schema paths the table misses, so a new
section cannot slip in without saying which way is tighter (tests/test_rules.py).

Directions, from the customer's side:
- lower / higher: a number, compared across `day` and `workday` (units.no_looser); its kind
  may only tighten (a per-case `limit` is tighter than an `average`); dropping it loosens.
- target: lower or higher by what the number measures (durations lower; shares, relative
  reductions and capacities higher).
- wider: an applicability criterion (None: anyone); a child may drop it, never add or change it.
- cap_max / cap_min: an applicability bound (None: unbounded); it may only widen.
- subset / superset: what may be asked (documents, departments) only shrinks; what is
  covered (categories, recipients, contents) only grows.
- status (in_force > pilot > explore > encouraged), period (realtime > month > quarter >
  year > unspecified), when (a stage for everyone may become important-only, not back).
- section / keyed / fewer_keys: containers; what the parent has must be there (presence),
  except stages, which a child may drop but never add.
- keep_true: a promise that is on stays on (approval time counts toward the full process).
- same: must not change (voltage classes, supply, boundaries); free: words, not promises.
"""
from __future__ import annotations

import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from policies.schema import Category, PolicyDocument, Quantity
from policies.units import Incomparable, WorkdaySpan, max_workday_span, no_looser

STATUS_RANK = {"in_force": 3, "pilot": 2, "explore": 1, "encouraged": 0}
PERIOD_RANK = {"realtime": 0, "month": 1, "quarter": 2, "year": 3, "unspecified": 4}
# A per-case limit binds every application; an average lets some run over.
KIND_TIGHTER = {("limit", "average")}
HIGHER_UNITS = {"percent", "kW", "kVA", "m"}


@dataclass
class Context:
    label: str  # "zhejiang 2021" or "version 2022": whose promise is compared against
    span: WorkdaySpan
    found: list[tuple[str, str]]

    def add(self, key: str, message: str) -> None:
        self.found.append((key, f"{key}: {message}"))


def _cited(value: Any) -> str:
    if isinstance(value, Quantity):
        return f"{value} ({value.source})"
    if isinstance(value, BaseModel):
        source = getattr(value, "source", None)
        name = getattr(value, "name", None)
        shown = f"'{name}'" if name else type(value).__name__
        return f"{shown} ({source})" if source else shown
    if isinstance(value, (list, tuple, set)):
        return str(sorted(value))
    return repr(value)


def _at(cited: str | None) -> str:
    return f" ({cited})" if cited else ""


def _source_of(value: Any, fallback: str | None) -> str | None:
    source = getattr(value, "source", None)
    return source if isinstance(source, str) else fallback


# --- directions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Direction:
    name: str
    # check(new, old, ctx, key, pattern, cited): adds findings; containers walk on.
    check: Callable[..., None]
    container: bool = False
    key: Callable[[Any], str] | None = None  # how a list's items are keyed (stages by code)


def _quantity(better: str | Callable[[Quantity], str]):
    def check(new, old, ctx: Context, key, pattern, cited):
        if old is None:
            return
        if new is None:
            ctx.add(key, f"drops {ctx.label}'s {_cited(old)}")
            return
        direction = better(old) if callable(better) else better
        try:
            ok = no_looser(new, old, better=direction, workday_span=ctx.span)
        except Incomparable as exc:
            ctx.add(key, f"cannot show {_cited(new)} is no looser than {ctx.label}'s {_cited(old)}: {exc}")
            return
        if not ok:
            ctx.add(key, f"{_cited(new)} is looser than {ctx.label}'s {_cited(old)}")
        if new.kind != old.kind and (new.kind, old.kind) not in KIND_TIGHTER:
            ctx.add(key, f"kind '{new.kind}' is looser than {ctx.label}'s '{old.kind}' for {_cited(old)}")

    return check


def _target_better(quantity: Quantity) -> str:
    if quantity.kind in ("share", "relative") or quantity.unit in HIGHER_UNITS:
        return "higher"
    return "lower"


def _free(new, old, ctx, key, pattern, cited):
    return


def _same(new, old, ctx, key, pattern, cited):
    def plain(value):
        return (value.value, value.unit) if isinstance(value, Quantity) else value

    if old is not None and plain(new) != plain(old):
        ctx.add(key, f"{_cited(new) if new is not None else 'nothing'} instead of {ctx.label}'s {_cited(old)}{_at(cited)}")


def _wider(new, old, ctx, key, pattern, cited):
    if new is None or new == old:
        return
    if old is None:
        ctx.add(key, f"adds the condition {new!r}, which {ctx.label} does not set{_at(cited)}: fewer customers qualify")
    else:
        ctx.add(key, f"{new!r} instead of {ctx.label}'s {old!r}{_at(cited)}")


def _cap(better: str):
    def check(new, old, ctx, key, pattern, cited):
        if new is None:
            return  # unbounded is the widest
        if old is None:
            ctx.add(key, f"caps at {_cited(new)} where {ctx.label} sets no bound{_at(cited)}: fewer customers qualify")
            return
        try:
            ok = no_looser(new, old, better=better, workday_span=ctx.span)
        except Incomparable as exc:
            ctx.add(key, f"cannot show {_cited(new)} covers what {ctx.label}'s {_cited(old)} covers: {exc}")
            return
        if not ok:
            ctx.add(key, f"{_cited(new)} covers fewer customers than {ctx.label}'s {_cited(old)}")

    return check


def _subset(new, old, ctx, key, pattern, cited):
    extra = sorted(set(new or []) - set(old or []))
    if old is not None and extra:
        ctx.add(key, f"asks for {extra}, beyond {ctx.label}'s list {list(old)}{_at(cited)}")


def _superset(new, old, ctx, key, pattern, cited):
    lost = sorted(set(old or []) - set(new or []))
    if lost:
        ctx.add(key, f"no longer covers {lost} as {ctx.label} does{_at(cited)}")


def _any_of(new, old, ctx, key, pattern, cited):
    """An empty list means 'every one'; a child may widen to every one, never narrow."""
    new, old = list(new or []), list(old or [])
    if not old:
        if new:
            ctx.add(key, f"only {sorted(new)} where {ctx.label} applies to every one{_at(cited)}")
    elif new:
        lost = sorted(set(old) - set(new))
        if lost:
            ctx.add(key, f"no longer covers {lost} as {ctx.label} does{_at(cited)}")


def _ranked(rank: dict[str, int], lower_is_tighter: bool):
    def check(new, old, ctx, key, pattern, cited):
        if old is None:
            return
        if new is None:
            ctx.add(key, f"drops {ctx.label}'s '{old}'{_at(cited)}")
            return
        looser = rank[new] > rank[old] if lower_is_tighter else rank[new] < rank[old]
        if looser:
            ctx.add(key, f"'{new}' is looser than {ctx.label}'s '{old}'{_at(cited)}")

    return check


def _when(new, old, ctx, key, pattern, cited):
    if old is not None and new != old:
        ctx.add(key, f"applies the stage to more customers than {ctx.label} (when: {old}){_at(cited)}")


def _keep_true(new, old, ctx, key, pattern, cited):
    if old is True and new is not True:
        ctx.add(key, f"{new!r} where {ctx.label} says True{_at(cited)}")


def _all_bounds_kept(new, old, ctx, key, pattern, cited):
    """Several limits all apply and the earliest binds: each of the parent's must be met."""
    new = list(new or [])
    for limit in old or []:
        if not any(_safe_no_looser(candidate, limit, ctx.span) for candidate in new):
            shown = ", ".join(_cited(c) for c in new) or "no limit"
            ctx.add(key, f"{shown}: none is as tight as {ctx.label}'s {_cited(limit)}")


def _safe_no_looser(new: Quantity, old: Quantity, span: WorkdaySpan) -> bool:
    try:
        return no_looser(new, old, better="lower", workday_span=span) and (
            new.kind == old.kind or (new.kind, old.kind) in KIND_TIGHTER
        )
    except Incomparable:
        return False


def _thresholds(new, old, ctx, key, pattern, cited):
    """Zero-investment thresholds by area group; `all` stands for urban and rural."""
    new = new or {}
    for area, threshold in (old or {}).items():
        for each in ("urban", "rural") if area == "all" else (area,):
            _quantity("higher")(new.get(each) or new.get("all"), threshold, ctx, f"{key}.{each}", pattern, cited)


def _section(new, old, ctx, key, pattern, cited):
    if old is None:
        return
    if new is None:
        ctx.add(key, f"drops {ctx.label}'s {_cited(old)}")
        return
    cited = _source_of(old, cited)
    for name in type(old).model_fields:
        _walk(getattr(new, name), getattr(old, name), ctx, f"{key}.{name}", (*pattern, name), cited)


def _entries(value: Any, direction: Direction) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return {direction.key(item): item for item in value}


def _keyed(keep_all: bool, may_add: bool = False):
    def keyed(new, old, ctx, key, pattern, cited, *, direction):
        if not old:
            return  # the parent promises nothing here
        before, after = _entries(old, direction), _entries(new, direction)
        for code, entry in before.items():
            if code not in after:
                if keep_all:
                    ctx.add(f"{key}.{code}", f"drops {ctx.label}'s {_cited(entry)}")
                continue
            _walk(after[code], entry, ctx, f"{key}.{code}", (*pattern, "*"), _source_of(entry, cited))
        if not keep_all and not may_add:
            added = [code for code in after if code not in before]
            if added:
                ctx.add(key, f"adds {added} that {ctx.label} does not have{_at(cited)}")

    return keyed


def _categories(new, old, ctx, key, pattern, cited):
    """A child category is the parent's same code or names a parent category of the same
    voltage and supply; a category of its own may not take customers a parent category covers."""
    new, old = new or {}, old or {}
    refined: set[str] = set()
    for code, category in new.items():
        target = category.parent_category or code
        where = f"{key}.{code}"
        if code in old and target != code:
            ctx.add(
                f"{where}.parent_category",
                f"'{target}': a category with {ctx.label}'s code '{code}' refines {ctx.label}'s '{code}' ({_cited(old[code])})",
            )
            continue
        if target not in old:
            if category.parent_category is not None:
                ctx.add(f"{where}.parent_category", f"'{target}' is no category of {ctx.label}")
                continue
            taken = [c for c, theirs in old.items() if _overlaps(_covers(category), _covers(theirs))]
            if taken:
                ctx.add(
                    where,
                    f"a new category for customers that {ctx.label}'s {taken} already covers "
                    f"({', '.join(_cited(old[c]) for c in taken)}): name it parent_category",
                )
            continue
        mine, theirs = _covers(category), _covers(old[target])
        if mine is not None and theirs is not None and mine != theirs:
            ctx.add(
                f"{where}.applies_to",
                f"{_show_covers(mine)} customers, but it refines {ctx.label}'s '{target}' for {_show_covers(theirs)} "
                f"({_cited(old[target])})",
            )
            continue
        refined.add(target)
        _walk(category, old[target], ctx, where, (*pattern, "*"), _source_of(old[target], cited))
    for code, category in old.items():
        if code not in refined and code not in new:
            ctx.add(f"{key}.{code}", f"drops {ctx.label}'s {_cited(category)}")


def _covers(category: Category) -> tuple[str, str | None] | None:
    if category.applies_to is not None:
        return category.applies_to.voltage, category.applies_to.supply
    if category.covers is not None:
        return category.covers.voltage, category.covers.supply
    return None


def _overlaps(mine, theirs) -> bool:
    if mine is None or theirs is None or mine[0] != theirs[0]:
        return False
    return mine[1] is None or theirs[1] is None or mine[1] == theirs[1]


def _show_covers(covers) -> str:
    return " ".join(part for part in covers if part)


LOWER = Direction("lower", _quantity("lower"))
HIGHER = Direction("higher", _quantity("higher"))
TARGET = Direction("target", _quantity(_target_better))
FREE = Direction("free", _free)
SAME = Direction("same", _same)
WIDER = Direction("wider", _wider)
CAP_MAX = Direction("cap_max", _cap("higher"))
CAP_MIN = Direction("cap_min", _cap("lower"))
SUBSET = Direction("subset", _subset)
SUPERSET = Direction("superset", _superset)
ANY_OF = Direction("any_of", _any_of)
STATUS = Direction("status", _ranked(STATUS_RANK, lower_is_tighter=False))
PERIOD = Direction("period", _ranked(PERIOD_RANK, lower_is_tighter=True))
WHEN = Direction("when", _when)
ALL_BOUNDS_KEPT = Direction("all_bounds_kept", _all_bounds_kept)
THRESHOLDS = Direction("thresholds", _thresholds)
KEEP_TRUE = Direction("keep_true", _keep_true)
SECTION = Direction("section", _section, container=True)
CATEGORIES = Direction("categories", _categories, container=True)


def KEYED(key: Callable[[Any], str] | None = None) -> Direction:
    return Direction("keyed", _keyed(keep_all=True), container=True, key=key)


def FEWER_KEYS(key: Callable[[Any], str] | None = None) -> Direction:
    return Direction("fewer_keys", _keyed(keep_all=False), container=True, key=key)


def FREE_KEYS(key: Callable[[Any], str] | None = None) -> Direction:
    """Entries a child may drop or add (a crossing no department needs to see is no promise
    lost), compared where both have them."""
    return Direction("free_keys", _keyed(keep_all=False, may_add=True), container=True, key=key)


def _by_code(item) -> str:
    return item.code


def _by_works(item) -> str:
    return item.works


def _by_target_key(item) -> str:
    return f"{item.year}.{item.key}"


RULES: dict[str, Direction] = {
    # categories: identity, applicability, stages and limits
    "categories": CATEGORIES,
    "categories.*": SECTION,
    "categories.*.name": FREE,
    "categories.*.unit": FREE,  # each limit carries its own unit and is compared across units
    "categories.*.parent_category": FREE,  # checked by CATEGORIES
    "categories.*.covers": FREE,  # checked by CATEGORIES
    "categories.*.applies_to": SECTION,
    "categories.*.applies_to.voltage": SAME,
    "categories.*.applies_to.supply": SAME,
    "categories.*.applies_to.voltage_kv_min": CAP_MIN,
    "categories.*.applies_to.voltage_kv_below": CAP_MAX,
    "categories.*.applies_to.residential": WIDER,
    "categories.*.applies_to.sanling": WIDER,
    "categories.*.applies_to.important": WIDER,
    "categories.*.applies_to.conditional": WIDER,
    "categories.*.applies_to.capacity_max": CAP_MAX,
    "categories.*.applies_to.source": FREE,
    "categories.*.applies_to.reading": FREE,
    "categories.*.stages": FEWER_KEYS(_by_code),
    "categories.*.stages.*": SECTION,
    "categories.*.stages.*.code": SAME,
    "categories.*.stages.*.name": FREE,
    "categories.*.stages.*.limit": LOWER,
    "categories.*.stages.*.when": WHEN,
    "categories.*.stages.*.documents": SECTION,
    "categories.*.stages.*.documents.required": SUBSET,
    "categories.*.stages.*.documents.source": FREE,
    "categories.*.stages.*.documents.reading": FREE,
    "categories.*.stages_source": FREE,
    "categories.*.max_stages": LOWER,
    "categories.*.grid_side_limit": LOWER,
    "categories.*.full_process_limit": LOWER,
    "categories.*.targets": KEYED(),
    "categories.*.targets.*": SECTION,
    "categories.*.targets.*.name": FREE,
    "categories.*.targets.*.quantity": TARGET,
    # definitions and words
    "voltage_classes": SECTION,
    "voltage_classes.lv": SECTION,
    "voltage_classes.lv.name": FREE,
    "voltage_classes.lv.max": SAME,
    "voltage_classes.hv": SECTION,
    "voltage_classes.hv.name": FREE,
    "voltage_classes.hv.min": SAME,
    "city_groups": FREE,
    "document_types": FREE,  # a catalogue of names; what may be asked is the stages' closed lists
    # documents: the 四免 principles stay, what is shared only grows
    "documents": SECTION,
    "documents.principles": KEYED(),
    "documents.principles.*": SECTION,
    "documents.principles.*.name": FREE,
    "documents.principles.*.source": FREE,
    "documents.one_certificate": SECTION,
    "documents.one_certificate.document": SAME,
    "documents.one_certificate.source": FREE,
    "documents.sharing": SECTION,
    "documents.sharing.documents": SUPERSET,
    "documents.sharing.source": FREE,
    # fee catalogue: a later version may drop an item, never add one; the regulator's limit only shortens
    "fees": SECTION,
    "fees.items": FEWER_KEYS(),
    "fees.items.*": SECTION,
    "fees.items.*.name": FREE,
    "fees.items.*.standard": FREE,
    "fees.items.*.basis": FREE,
    "fees.items.*.applies_to": FREE,
    "fees.items.*.works": SAME,
    "fees.items.*.source": FREE,
    "fees.items.*.reason": FREE,
    "fees.report_limit": LOWER,
    "fees.source": FREE,
    # approvals
    "approvals": SECTION,
    "approvals.limits": KEYED(),
    "approvals.limits.*": SECTION,
    "approvals.limits.*.name": FREE,
    "approvals.limits.*.voltage": SAME,
    "approvals.limits.*.voltage_kv_min": SAME,
    "approvals.limits.*.voltage_kv_max": SAME,
    "approvals.limits.*.routes": SUPERSET,
    "approvals.limits.*.limits": ALL_BOUNDS_KEPT,
    "approvals.limits.*.note": FREE,
    "approvals.limits.*.source": FREE,
    "approvals.exemption": SECTION,
    "approvals.exemption.status": STATUS,
    "approvals.exemption.conditions": SECTION,
    "approvals.exemption.conditions.voltage": SAME,
    "approvals.exemption.conditions.capacity_max": CAP_MAX,
    "approvals.exemption.conditions.line_length_max": CAP_MAX,
    "approvals.exemption.conditions.sanling": WIDER,
    "approvals.exemption.conditions.no_interested_parties": WIDER,
    "approvals.exemption.conditions.short_distance": WIDER,
    "approvals.exemption.routes": SUPERSET,
    "approvals.exemption.exceptions": FEWER_KEYS(_by_works),
    "approvals.exemption.exceptions.*": SECTION,
    "approvals.exemption.exceptions.*.works": SAME,
    # a crossing listed here takes a case out of the exemption: more of them exempt fewer
    "approvals.exemption.exceptions.*.crossings": SUBSET,
    "approvals.exemption.exceptions.*.routes": SUPERSET,
    "approvals.exemption.exceptions.*.departments": SUBSET,
    "approvals.exemption.exceptions.*.advance_notice": LOWER,  # a shorter lead time asks less
    "approvals.exemption.exceptions.*.requires": SUBSET,
    "approvals.exemption.exceptions.*.source": FREE,
    "approvals.exemption.source": FREE,
    "approvals.notification_commitment": SECTION,
    "approvals.notification_commitment.status": STATUS,
    "approvals.notification_commitment.applies_to": SAME,
    "approvals.notification_commitment.documents": SUBSET,
    "approvals.notification_commitment.steps": SUBSET,
    "approvals.notification_commitment.report_within": FREE,  # the applicant's own report, not a promise to them
    "approvals.notification_commitment.source": FREE,
    "approvals.completion_push": SECTION,
    "approvals.completion_push.within": LOWER,
    "approvals.completion_push.recipients": SUPERSET,
    "approvals.completion_push.source": FREE,
    # which departments a case goes to: fewer is less for the applicant to wait on
    "approvals.base": SECTION,
    "approvals.base.departments": SUBSET,
    "approvals.base.source": FREE,
    "approvals.base.reason": FREE,
    "approvals.crossings": FREE_KEYS(),
    "approvals.crossings.*": SECTION,
    "approvals.crossings.*.departments": SUBSET,
    "approvals.crossings.*.source": FREE,
    "approvals.crossings.*.reason": FREE,
    "approvals.full_process": SECTION,
    "approvals.full_process.counts_approval_time": KEEP_TRUE,
    "approvals.full_process.source": FREE,
    "approvals.full_process.reason": FREE,
    # zero investment and the investment boundary
    "zero_investment": SECTION,
    "zero_investment.scope": KEYED(),
    "zero_investment.scope.*": SECTION,
    "zero_investment.scope.*.name": FREE,
    "zero_investment.scope.*.categories": SUPERSET,
    "zero_investment.scope.*.thresholds": THRESHOLDS,
    "zero_investment.scope.*.source": FREE,
    "zero_investment.scope.*.reading": FREE,
    "zero_investment.area_map": SAME,
    "zero_investment.area_map_reason": FREE,
    "investment_boundary": KEYED(_by_code),
    "investment_boundary.*": SECTION,
    "investment_boundary.*.code": SAME,
    "investment_boundary.*.name": FREE,
    "investment_boundary.*.categories": SUPERSET,
    "investment_boundary.*.boundary": SAME,
    "investment_boundary.*.conditions": ANY_OF,
    "investment_boundary.*.capacity_max": CAP_MAX,
    "investment_boundary.*.areas": ANY_OF,
    "investment_boundary.*.status": STATUS,
    "investment_boundary.*.source": FREE,
    # connection and scheme
    "next_day_connection": SECTION,
    "next_day_connection.voltage": SAME,
    "next_day_connection.no_works": SAME,
    "next_day_connection.limit": LOWER,
    "next_day_connection.source": FREE,
    "connection": SECTION,
    "connection.lv_capacity_max": HIGHER,
    "connection.sanling": WIDER,
    "onsite_scheme_reply": SECTION,
    "onsite_scheme_reply.applies_to": SECTION,
    "onsite_scheme_reply.applies_to.voltage_kv": SAME,
    "onsite_scheme_reply.applies_to.supply": WIDER,
    "onsite_scheme_reply.applies_to.capacity_max": CAP_MAX,
    "onsite_scheme_reply.completes_stage": SAME,
    "onsite_scheme_reply.status": STATUS,
    "onsite_scheme_reply.source": FREE,
    "transitional_scheme": SECTION,
    "transitional_scheme.applies_to": SECTION,
    "transitional_scheme.applies_to.voltage_kv": SAME,
    "transitional_scheme.applies_to.supply": WIDER,
    "transitional_scheme.applies_to.capacity_max": CAP_MAX,
    "transitional_scheme.trigger": FREE,
    "transitional_scheme.opens": FREE,
    "transitional_scheme.status": STATUS,
    "transitional_scheme.source": FREE,
    # reliability
    "high_reliability_zones": SECTION,
    "high_reliability_zones.saidi": LOWER,
    "high_reliability_zones.status": STATUS,
    "high_reliability_zones.source": FREE,
    "reliability_targets": KEYED(_by_target_key),
    "reliability_targets.*": SECTION,
    "reliability_targets.*.year": SAME,
    "reliability_targets.*.city_group": SAME,
    "reliability_targets.*.area": SAME,
    "reliability_targets.*.saidi": LOWER,
    "reliability_targets.*.yoy_reduction": HIGHER,
    "reliability_targets.*.note": FREE,
    # reporting, rules, targets
    "reporting": KEYED(),
    "reporting.*": SECTION,
    "reporting.*.name": FREE,
    "reporting.*.period": PERIOD,
    "reporting.*.due": LOWER,
    "reporting.*.due_from": FREE,
    "reporting.*.recipients": SUPERSET,
    "reporting.*.cc": SUPERSET,
    "reporting.*.contents": SUPERSET,
    "reporting.*.source": FREE,
    "rules": KEYED(),
    "rules.*": SECTION,
    "rules.*.name": FREE,
    "rules.*.text": FREE,
    "rules.*.status": STATUS,
    "rules.*.source": FREE,
    "targets": KEYED(),
    "targets.*": SECTION,
    "targets.*.name": FREE,
    "targets.*.quantity": TARGET,
    # ours, not the seeds': warnings and escalation are system settings a county may set
    "settings": FREE,
}


def _walk(new: Any, old: Any, ctx: Context, key: str, pattern: tuple[str, ...], cited: str | None) -> None:
    direction = RULES.get(".".join(pattern))
    if direction is None:
        if old is not None or new is not None:
            ctx.add(key, f"no never-loosen rule for '{'.'.join(pattern)}' (declare one in policies/rules.py)")
        return
    if direction.check.__name__ == "keyed":
        direction.check(new, old, ctx, key, pattern, cited, direction=direction)
    else:
        direction.check(new, old, ctx, key, pattern, cited)


def compare(
    new: PolicyDocument,
    old: PolicyDocument,
    *,
    label: str,
    span: WorkdaySpan = max_workday_span,
    sections: Iterable[str] | None = None,
) -> list[tuple[str, str]]:
    """(key path, message) for every way `new` promises less than `old`; empty when it only
    tightens. `sections` limits the walk to some top-level keys (a one-way rule's scope)."""
    ctx = Context(label=label, span=span, found=[])
    from policies.schema import CONTENT_KEYS

    for name in sections or CONTENT_KEYS:
        _walk(getattr(new, name), getattr(old, name), ctx, name, (name,), None)
    return ctx.found


# --- coverage of the schema --------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model(annotation: Any) -> type[BaseModel] | None:
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _item(annotation: Any) -> Any:
    annotation = _unwrap(annotation)
    args = typing.get_args(annotation)
    return args[-1] if args else None


def uncovered() -> list[str]:
    """Schema key paths that no rule decides (a new section needs its direction declared)."""
    from policies.schema import CONTENT_KEYS

    missing: list[str] = []

    def visit(annotation: Any, pattern: tuple[str, ...]) -> None:
        direction = RULES.get(".".join(pattern))
        if direction is None:
            missing.append(".".join(pattern))
            return
        if not direction.container:
            return
        if direction in (SECTION,):
            model = _model(annotation)
            for name, info in (model.model_fields.items() if model else []):
                visit(info.annotation, (*pattern, name))
        else:  # keyed containers and categories: each entry
            visit(_item(annotation), (*pattern, "*"))

    for name in CONTENT_KEYS:
        visit(PolicyDocument.model_fields[name].annotation, (name,))
    return missing


def stale() -> list[str]:
    """Rules whose key path the schema no longer has."""
    from policies.schema import CONTENT_KEYS

    seen: set[str] = set()

    def visit(annotation: Any, pattern: tuple[str, ...]) -> None:
        key = ".".join(pattern)
        seen.add(key)
        direction = RULES.get(key)
        if direction is None or not direction.container:
            return
        if direction is SECTION:
            model = _model(annotation)
            for name, info in (model.model_fields.items() if model else []):
                visit(info.annotation, (*pattern, name))
        else:
            visit(_item(annotation), (*pattern, "*"))

    for name in CONTENT_KEYS:
        visit(PolicyDocument.model_fields[name].annotation, (name,))
    return sorted(set(RULES) - seen)
