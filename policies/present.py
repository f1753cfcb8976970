"""The public JSON of a policy version: `getpower policy show --json` and the API. Pure.

Stage limits are flattened to number + unit (the form a person or a client reads);
totals and every other number keep their full object (value, unit, kind, source).
"""
from __future__ import annotations

from typing import Any

from policies.schema import ApprovalLimit, Category, PolicyDocument, Quantity

_SUPPLY_ORDER = {None: 0, "single": 0, "dual": 1}


def _category_key(item: tuple[str, Category]) -> tuple:
    # The database may not keep key order (PostgreSQL jsonb sorts keys), so order by the
    # domain: low voltage first, residential first, then by voltage, supply and specificity.
    code, category = item
    rule = category.applies_to
    if rule is None:
        return (2, 0, 0, 0, code)
    low_kv = rule.voltage_kv_min.value if rule.voltage_kv_min else 0
    return (
        0 if rule.voltage == "lv" else 1,
        0 if rule.residential else 1,
        low_kv,
        _SUPPLY_ORDER[rule.supply],
        len(rule.criteria()),
        code,
    )


def ordered_categories(doc: PolicyDocument) -> list[tuple[str, Category]]:
    return sorted(doc.categories.items(), key=_category_key)


def _approval_key(item: tuple[str, ApprovalLimit]) -> tuple:
    code, limit = item
    low = limit.voltage_kv_min.value if limit.voltage_kv_min else 0
    high = limit.voltage_kv_max.value if limit.voltage_kv_max else 0
    return (0 if limit.voltage == "lv" else 1, low, high, code)


def ordered_approval_limits(doc: PolicyDocument) -> list[tuple[str, ApprovalLimit]]:
    return sorted(doc.approvals.limits.items(), key=_approval_key) if doc.approvals else []


def quantity(q: Quantity | None) -> dict[str, Any] | None:
    return q.model_dump(mode="json", exclude_none=True) if q is not None else None


def category_json(category: Category) -> dict[str, Any]:
    return {
        "name": category.name,
        "unit": category.unit,
        "stages": [
            {
                "code": stage.code,
                "name": stage.name,
                "limit": stage.limit.value if stage.limit else None,
                "unit": stage.limit.unit if stage.limit else category.unit,
                "kind": stage.limit.kind if stage.limit else None,
                "source": stage.limit.source if stage.limit else None,
                "derived": stage.limit.derived if stage.limit else None,
                "when": stage.when,
                "documents": list(stage.documents.required) if stage.documents else None,
                "documents_source": stage.documents.source if stage.documents else None,
            }
            for stage in category.stages
        ],
        "grid_side_limit": quantity(category.grid_side_limit),
        "full_process_limit": quantity(category.full_process_limit),
        "parent_category": category.parent_category,
        "applies_to": category.applies_to.model_dump(mode="json", exclude_none=True) if category.applies_to else None,
        "stages_source": category.stages_source,
        "targets": {code: t.model_dump(mode="json", exclude_none=True) for code, t in category.targets.items()},
    }


def documents_json(doc: PolicyDocument) -> dict[str, Any]:
    rules = doc.documents
    return {
        "types": {code: t.name for code, t in doc.document_types.items()},
        "by_category": {
            code: {s.code: list(s.documents.required) for s in category.stages if s.documents is not None}
            for code, category in ordered_categories(doc)
            if category.stages
        },
        "principles": {k: p.model_dump(mode="json") for k, p in rules.principles.items()} if rules else {},
        "one_certificate": rules.one_certificate.model_dump(mode="json") if rules and rules.one_certificate else None,
        "sharing": rules.sharing.model_dump(mode="json") if rules and rules.sharing else None,
    }


def policy_json(doc: PolicyDocument) -> dict[str, Any]:
    data = doc.model_dump(mode="json", exclude_none=True)
    return {
        "region": doc.region,
        "name": doc.name,
        "title": doc.title,
        "parent": doc.parent,
        "seed": doc.seed,
        "version": doc.version,
        "effective_from": doc.effective_from.isoformat(),
        "unit": doc.unit,
        "basis": doc.basis,
        "chain": data["chain"],
        "categories": {code: category_json(c) for code, c in ordered_categories(doc)},
        "approvals": {
            **data.get("approvals", {}),
            "limits": {code: limit.model_dump(mode="json", exclude_none=True) for code, limit in ordered_approval_limits(doc)},
        }
        if doc.approvals
        else {},
        "zero_investment": data.get("zero_investment", {}),
        "investment_boundary": data.get("investment_boundary", []),
        "reliability_targets": [
            {
                "year": t.year,
                "city_group": t.city_group,
                "area": t.area,
                "saidi": quantity(t.saidi),
                "yoy_reduction": quantity(t.yoy_reduction),
                "note": t.note,
            }
            for t in doc.reliability_targets
        ],
        "high_reliability_zones": data.get("high_reliability_zones"),
        "documents": documents_json(doc),
        "next_day_connection": data.get("next_day_connection"),
        "connection": data.get("connection"),
        "onsite_scheme_reply": data.get("onsite_scheme_reply"),
        "transitional_scheme": data.get("transitional_scheme"),
        "reporting": data.get("reporting", {}),
        "rules": data.get("rules", {}),
        "targets": data.get("targets", {}),
        "settings": data.get("settings"),
        "fees": data.get("fees"),
        "voltage_classes": data.get("voltage_classes"),
        "city_groups": data.get("city_groups", {}),
        "one_way": data.get("one_way", []),
        "notes": [
            {
                "id": n.id,
                "region": n.region,
                "kind": n.kind,
                "topic": n.topic,
                "citations": [c.model_dump(mode="json") for c in n.citations],
                "reading": n.reading,
                "reason": n.reason,
                "affects": list(n.affects),
                "exception_for": n.exception_for.model_dump(mode="json") if n.exception_for else None,
            }
            for n in doc.notes
        ],
    }
