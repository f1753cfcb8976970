"""Every quantified promise in a policy document, found by walking it: pure, no Django.

A quantity is any mapping with value, unit and kind. Some quantities are not targets but
bounds of who a rule applies to (a category's voltage range, an exemption's kW cap);
`SCOPE_BOUNDS` lists those patterns with the reason, so the walk can say of every other
quantity which indicator measures it (a test fails when one has none)."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

# Path patterns (fnmatch, list indices written [*]) that bound applicability or configure
# the system instead of promising a result, with why they are not measured.
SCOPE_BOUNDS: dict[str, str] = {
    "categories.*.applies_to.*": "适用范围界限（谁属于该类别），不是办理结果",
    "approvals.exemption.conditions.*": "免审批适用条件，由审批路由逐案判定",
    "approvals.limits.*.voltage_kv_*": "电压等级划分界限",
    "onsite_scheme_reply.applies_to.*": "现场答复方案的适用条件",
    "transitional_scheme.applies_to.*": "过渡方案的适用条件",
    "investment_boundary[*].capacity_max": "投资界面延伸的适用条件",
    "connection.lv_capacity_max": "低压接入容量上限（接入方式的规则），不是办理结果",
    "voltage_classes.*.*": "电压等级划分界限",
    "settings.*": "系统设置（预警、督办时限），不是政策承诺",
    "approvals.exemption.exceptions[*].advance_notice": "提前告知的最短提前期，由审批路由逐案执行",
    "approvals.notification_commitment.report_within": "告知承诺后的补报期限，由审批案件逐案执行",
}


@dataclass(frozen=True)
class TargetRef:
    path: str  # e.g. categories.hv_single.stages[scheme_reply].limit
    pattern: str  # the path with names and indices generalised, for matching indicators
    value: float
    value_max: float | None
    unit: str
    kind: str
    source: str
    name: str  # the nearest human name found on the way down

    @property
    def category(self) -> str | None:
        found = re.match(r"categories\.([a-z0-9_]+)", self.path)
        return found[1] if found else None


def _generalise(path: str) -> str:
    path = re.sub(r"\[[^\]]+\]", "[*]", path)
    path = re.sub(r"^categories\.[a-z0-9_]+", "categories.*", path)
    return re.sub(r"\b(targets|limits|scope|thresholds)\.[a-z0-9_]+", r"\1.*", path)


def walk(document: Mapping[str, Any]) -> Iterator[TargetRef]:
    """Every quantity in the document with its path (list items keyed by `code` when they have one)."""
    yield from _walk(document, "", str(document.get("name", "")))


def _walk(node: Any, path: str, name: str) -> Iterator[TargetRef]:
    if isinstance(node, Mapping):
        if {"value", "unit", "kind"} <= node.keys():
            yield TargetRef(path=path, pattern=_generalise(path), value=float(node["value"]),
                            value_max=None if node.get("value_max") is None else float(node["value_max"]),
                            unit=str(node["unit"]), kind=str(node["kind"]), source=str(node.get("source", "")),
                            name=name)
            return
        here = str(node.get("name", name)) if isinstance(node.get("name"), str) else name
        for key, child in node.items():
            if key in ("notes", "one_way", "chain"):
                continue
            yield from _walk(child, f"{path}.{key}" if path else str(key), here)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            key = child.get("code", index) if isinstance(child, Mapping) else index
            yield from _walk(child, f"{path}[{key}]", name)


def matches(pattern: str, declared: str) -> bool:
    """Whether a generalised path matches a declared pattern: `*` stands for one name (or a
    part of one), `[*]` for any list item. (fnmatch would read `[*]` as a character class.)"""
    regex = re.escape(declared).replace(r"\[\*\]", "\0").replace(r"\*", r"[^.\[\]]*").replace("\0", r"\[\*\]")
    return re.fullmatch(regex, pattern) is not None


def is_scope_bound(ref: TargetRef) -> bool:
    return any(matches(ref.pattern, declared) for declared in SCOPE_BOUNDS)


def targets(document: Mapping[str, Any]) -> list[TargetRef]:
    """The quantified promises: every quantity that is not a scope bound."""
    return [ref for ref in walk(document) if not is_scope_bound(ref)]
