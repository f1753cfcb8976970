"""业绩考核: the yearly appraisal of county utilities from their indicator statuses. Pure, no
Django; the weights and credits are data (`data/appraisal.yaml`), each with its reason."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WEIGHTS_FILE = Path(__file__).with_name("data") / "appraisal.yaml"


class BadWeights(ValueError):
    """The appraisal data is incomplete or inconsistent."""


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    indicators: tuple[str, ...]
    weight: float
    reason: str


@dataclass(frozen=True)
class Scheme:
    name: str
    credit: Mapping[str, float]  # status → share of the item's weight earned
    credit_reasons: Mapping[str, str]
    items: tuple[Item, ...]


def load(path: Path = WEIGHTS_FILE) -> Scheme:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


def parse(document: Mapping[str, Any]) -> Scheme:
    credit, reasons = {}, {}
    for status in ("met", "at_risk", "missed"):
        entry = (document.get("status_credit") or {}).get(status)
        if not entry or not entry.get("reason") or not 0 <= float(entry["value"]) <= 1:
            raise BadWeights(f"status_credit.{status}: a value in [0, 1] with a reason")
        credit[status], reasons[status] = float(entry["value"]), str(entry["reason"])
    items, seen = [], set()
    for entry in document.get("items") or []:
        if not entry.get("reason") or float(entry.get("weight", 0)) <= 0 or not entry.get("indicators"):
            raise BadWeights(f"items.{entry.get('code')}: a positive weight, indicators and a reason")
        overlap = seen & set(entry["indicators"])
        if overlap:
            raise BadWeights(f"items.{entry['code']}: indicators counted twice: {sorted(overlap)}")
        seen |= set(entry["indicators"])
        items.append(Item(code=entry["code"], name=entry["name"], indicators=tuple(entry["indicators"]),
                          weight=float(entry["weight"]), reason=entry["reason"]))
    if not items:
        raise BadWeights("items: at least one")
    return Scheme(name=str(document.get("name", "")), credit=credit, credit_reasons=reasons, items=tuple(items))


@dataclass(frozen=True)
class Appraisal:
    score: float | None  # 0–100 over the items with data; None when nothing could be judged
    items: dict[str, float | None]  # item code → points earned (None: no judged row)
    judged: int


def appraise(statuses: Iterable[tuple[str, str]], scheme: Scheme) -> Appraisal:
    """`statuses`: (indicator code, status) for every row of the county's year."""
    by_code: dict[str, list[float]] = {}
    judged = 0
    for code, status in statuses:
        if status in scheme.credit:
            by_code.setdefault(code, []).append(scheme.credit[status])
            judged += 1
    earned: dict[str, float | None] = {}
    weight_with_data = points = 0.0
    for item in scheme.items:
        credits = [c for code in item.indicators for c in by_code.get(code, [])]
        if not credits:
            earned[item.code] = None
            continue
        value = item.weight * sum(credits) / len(credits)
        earned[item.code] = round(value, 2)
        weight_with_data += item.weight
        points += value
    score = None if not weight_with_data else round(100 * points / weight_with_data, 2)
    return Appraisal(score=score, items=earned, judged=judged)
