"""Ranking counties for a 通报: pure, no Django.

A county is better when fewer of its judged indicators missed their targets (as a share, so
a county with more kinds of cases is not punished for being measured more), then when more
were met outright, then by code so the order is stable. A county with nothing judged is
listed last: there is nothing to rank it on."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CountyResult:
    code: str
    name: str
    utility: str
    met: int
    at_risk: int
    missed: int
    misses: tuple[str, ...] = field(default=())

    @property
    def judged(self) -> int:
        return self.met + self.at_risk + self.missed

    @property
    def missed_share(self) -> float | None:
        return None if not self.judged else round(100 * self.missed / self.judged, 2)

    @property
    def met_share(self) -> float | None:
        return None if not self.judged else round(100 * self.met / self.judged, 2)


def ranked(results: list[CountyResult]) -> list[dict]:
    def key(r: CountyResult):
        if not r.judged:
            return (1, 0.0, 0.0, r.code)
        return (0, r.missed / r.judged, -r.met / r.judged, r.code)

    ordered = sorted(results, key=key)
    rows = []
    for rank, r in enumerate(ordered, start=1):
        rows.append({"rank": rank, "code": r.code, "county": r.name, "utility": r.utility, "met": r.met,
                     "at_risk": r.at_risk, "missed": r.missed, "judged": r.judged, "missed_share": r.missed_share,
                     "met_share": r.met_share, "misses": list(r.misses)})
    judged = [row for row in rows if row["judged"]]
    for row in rows:
        row["standing"] = ("best" if judged and row is judged[0] else
                           "worst" if len(judged) > 1 and row is judged[-1] else "")
    return rows
