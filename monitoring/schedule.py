"""Which reports the policy's `reporting` section makes due on a given day: pure, no Django.

A rule with `period: month` asks for the month's statistics from the first day of the next
month, `quarter` for the quarter's analysis from the first day of the next quarter (by its
`due`, counted from the quarter's last day), `year` for the annual summary from 1 January.
Rules without a fixed period (进展报送, 通报, 实时监测) are not scheduled here. Only the
period just ended is due: installing the job never back-fills years of reports."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from monitoring import periods

KIND_OF_PERIOD = {"month": "monthly", "quarter": "quarterly", "year": "annual"}
FORMAT_OF_KIND = {"monthly": "xlsx", "quarterly": "pdf", "annual": "pdf"}


@dataclass(frozen=True)
class Due:
    rule: str  # the key in the reporting section, e.g. quarterly_analysis
    kind: str  # monthly | quarterly | annual
    period: periods.Period  # the period the report is about
    fmt: str
    due_n: int | None  # the policy's allowance after the period's last day, if any
    due_unit: str | None
    source: str

    @property
    def last_day(self) -> date:
        """The day the allowance is counted from (起算日不计入)."""
        return self.period.end - timedelta(days=1)


def due_reports(reporting: Mapping[str, Any] | None, today: date) -> list[Due]:
    out = []
    for rule, spec in (reporting or {}).items():
        kind = KIND_OF_PERIOD.get(spec.get("period"))
        if kind is None:
            continue
        current = periods.containing(today, spec["period"])
        due = spec.get("due") or {}
        out.append(Due(rule=rule, kind=kind, period=current.previous(), fmt=FORMAT_OF_KIND[kind],
                       due_n=int(due["value"]) if due else None, due_unit=due.get("unit") if due else None,
                       source=str(due.get("source") or spec.get("source", ""))))
    return out


def reports_due_within(reporting: Mapping[str, Any] | None, window: periods.Period) -> list[Due]:
    """The scheduled reports with a deadline whose period ended inside or just before `window`:
    every report that fell due while the window ran, for judging `report_on_time`."""
    out: list[Due] = []
    for rule, spec in (reporting or {}).items():
        kind = KIND_OF_PERIOD.get(spec.get("period"))
        if kind is None or not spec.get("due"):
            continue
        cursor = periods.containing(window.start, spec["period"]).previous()
        while cursor.end < window.end:
            due = Due(rule=rule, kind=kind, period=cursor, fmt=FORMAT_OF_KIND[kind], due_n=int(spec["due"]["value"]),
                      due_unit=spec["due"]["unit"], source=str(spec["due"].get("source", "")))
            if window.contains(cursor.end):
                out.append(due)
            cursor = periods.containing(cursor.end, spec["period"])
    return out
