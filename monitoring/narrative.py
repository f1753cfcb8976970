"""The generated narrative of a report: what was met and missed, against the period before.
Pure: rows in (the dicts of `indicators show`), sentences out."""
from __future__ import annotations

from collections import Counter

STATUS_NAMES = {"met": "达标", "at_risk": "临界", "missed": "未达标", "n/a": "无目标或无数据"}


def _key(row: dict) -> tuple[str, str]:
    return row["code"], row.get("dimension", "")


def sentences(*, region_name: str, period_name: str, rows: list[dict], previous: list[dict],
              previous_name: str) -> list[str]:
    counts = Counter(row["status"] for row in rows)
    judged = counts["met"] + counts["at_risk"] + counts["missed"]
    out = [f"{region_name}{period_name}共监测指标{len(rows)}项，其中有目标且有数据的{judged}项："
           f"达标{counts['met']}项、临界{counts['at_risk']}项、未达标{counts['missed']}项。"]
    missed = [row["name"] for row in rows if row["status"] == "missed"]
    if missed:
        out.append("未达标指标：" + "；".join(missed[:10]) + ("等。" if len(missed) > 10 else "。"))
    before = {_key(row): row for row in previous}
    worse, better = [], []
    for row in rows:
        old = before.get(_key(row))
        if old is None or old["status"] == row["status"] or "n/a" in (old["status"], row["status"]):
            continue
        rank = {"met": 2, "at_risk": 1, "missed": 0}
        (better if rank[row["status"]] > rank[old["status"]] else worse).append(
            f"{row['name']}（{STATUS_NAMES[old['status']]}→{STATUS_NAMES[row['status']]}）")
    if better:
        out.append(f"与{previous_name}相比改善：" + "；".join(better[:10]) + "。")
    if worse:
        out.append(f"与{previous_name}相比退步：" + "；".join(worse[:10]) + "。")
    if not better and not worse:
        out.append(f"与{previous_name}相比，各指标达标状态没有变化。")
    return out
