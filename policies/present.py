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


# --- for people: what a category means for the applicant, in words ----------------------


def amount(quantity: Quantity | None) -> str:
    """30 天, 1–3 个工作日, 160 千瓦, 8%."""
    from policies.labels import UNITS

    if quantity is None:
        return ""
    shown = f"{quantity.value:g}" if isinstance(quantity.value, float) else str(quantity.value)
    if quantity.value_max is not None:
        shown += f"–{quantity.value_max:g}"
    unit = UNITS.get(quantity.unit, quantity.unit)
    return f"{shown}{unit}" if quantity.unit == "percent" else f"{shown} {unit}"


def _who(category: Category) -> list[str]:
    rule = category.applies_to
    if rule is None:
        return []
    words = ["低压供电（380伏及以下）" if rule.voltage == "lv" else "高压供电"]
    if rule.voltage_kv_min is not None:
        words.append(f"{amount(rule.voltage_kv_min)}及以上")
    if rule.voltage_kv_below is not None:
        words.append(f"低于 {amount(rule.voltage_kv_below)}")
    if rule.residential is not None:
        words.append("居民用户" if rule.residential else "企业等非居民用户")
    if rule.sanling:
        words.append("享受“三零”服务（零上门、零审批、零投资）")
    if rule.supply is not None:
        words.append("单电源" if rule.supply == "single" else "双电源")
    if rule.important is False:
        words.append("非重要用户")
    elif rule.important:
        words.append("重要或高风险用户")
    if rule.conditional:
        words.append("具备条件、可合并环节")
    if rule.capacity_max is not None:
        words.append(f"用电容量不超过 {amount(rule.capacity_max)}")
    return words


def _pays(doc: PolicyDocument, code: str) -> list[str]:
    from policies.labels import FLAT as LABELS

    lines = []
    if doc.zero_investment is not None:
        for scope in doc.zero_investment.scope.values():
            if code not in scope.categories:
                continue
            if not scope.thresholds:
                lines.append(f"{scope.name}：接电工程由供电企业投资，您不出钱（零投资）")
                continue
            groups = {"urban": "城市地区", "rural": "农村地区", "all": "城乡"}
            limits = "，".join(f"{groups[area]} {amount(q)} 及以下" for area, q in scope.thresholds.items())
            lines.append(f"{scope.name}：{limits}，接电工程由供电企业投资，您不出钱（零投资）")
    for boundary in doc.investment_boundary:
        if code not in boundary.categories or boundary.boundary is None:
            continue
        status = "" if boundary.status == "in_force" else f"（{LABELS.get(boundary.status, boundary.status)}）"
        lines.append(f"供电企业{LABELS.get(boundary.boundary, boundary.boundary)}{status}：{boundary.name}")
    return lines


def _next_day(doc: PolicyDocument, category: Category) -> str:
    """当日申请，次日接电 bounds the whole process of the category's customers with no works."""
    rule = doc.next_day_connection
    if rule is None or category.applies_to is None or category.applies_to.voltage != rule.voltage:
        return ""
    return amount(rule.limit)


def category_for_people(doc: PolicyDocument, code: str, category: Category) -> dict[str, Any]:
    """Who the category is for, its stages with their limits, the documents asked at each,
    the total and who pays up to where: the plain 'what this means for you'."""
    document_names = {c: t.name for c, t in doc.document_types.items()}
    total = category.grid_side_limit or category.full_process_limit
    stages = []
    for stage in category.stages:
        if stage.limit is not None:
            limit = f"{amount(stage.limit)}内"
        elif total is not None:
            limit = "无单独时限，计入合计时限"
        else:
            limit = "文件未规定时限"
        stages.append(
            {
                "name": stage.name,
                "limit": limit,
                "only_important": stage.when == "important",
                "documents": [document_names.get(d, d) for d in stage.documents.required] if stage.documents else [],
            }
        )
    return {
        "code": code,
        "name": category.name,
        "who": _who(category),
        "stages": stages,
        "grid_side": amount(category.grid_side_limit),
        "grid_side_kind": category.grid_side_limit.kind if category.grid_side_limit else None,
        "full_process": amount(category.full_process_limit),
        "next_day": _next_day(doc, category),
        "max_stages": amount(category.max_stages),
        "over_max_stages": category.max_stages is not None and len(stages) > category.max_stages.value,
        "pays": _pays(doc, code),
    }
