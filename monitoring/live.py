"""Live values for the task ledger (ledger.live.SOURCES), from the same facts as the indicators:
the year to date in the region, in the unit the policy counts in."""
from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils import timezone

from ledger.live import LiveValue, register
from monitoring import judge, periods
from monitoring.models import ApplicationFact


def _year_facts(region: str, category: str | None = None):
    today = timezone.localdate()
    year = periods.year(today.year)
    qs = ApplicationFact.objects.filter(region=region, energised_on__gte=year.start, energised_on__lt=year.end)
    return (qs.filter(category=category) if category else qs), today


def _average(region: str, category: str, kind: str) -> LiveValue | None:
    from monitoring.actions import facts_refresh

    facts_refresh()
    qs, today = _year_facts(region, category)
    unit = (qs.values_list(f"{kind}_limit_unit", flat=True).first() or "workday") if kind == "grid_side" else None
    if unit is None:  # full-process: the category's own unit (Zhejiang counts 天, Zaozhuang 工作日)
        unit = qs.values_list("unit", flat=True).first() or "workday"
    column = f"{kind}_days" if unit == "day" else f"{kind}_workdays"
    found = qs.exclude(**{column: None}).aggregate(v=Avg(column), n=Count("pk"))
    if not found["n"]:
        return None
    return LiveValue(value=round(float(found["v"]), 2), unit=unit, as_of=today, period=str(today.year),
                     sample=found["n"])


@register("grid_side_days_avg")
def grid_side_days_avg(*, region: str, category: str, **_) -> LiveValue | None:
    return _average(region, category, "grid_side")


@register("full_process_days_avg")
def full_process_days_avg(*, region: str, category: str, **_) -> LiveValue | None:
    return _average(region, category, "full_process")


@register("online_application_rate")
def online_application_rate(*, region: str, **_) -> LiveValue | None:
    today = timezone.localdate()
    year = periods.year(today.year)
    counts = ApplicationFact.objects.filter(region=region, submitted_on__gte=year.start, submitted_on__lt=year.end
                                            ).aggregate(n=Count("pk"), online=Count("pk", filter=Q(online=True)))
    if not counts["n"]:
        return None
    return LiveValue(value=judge.share(counts["online"], counts["n"]), unit="percent", as_of=today,
                     period=str(today.year), sample=counts["n"])


@register("saidi")
def saidi(*, region: str, city_group: str | None = None, area: str | None = None, **_) -> LiveValue | None:
    """Year to date; a target of an earlier year is still shown against this year's figure."""
    if city_group is None:
        return None  # zones (示范区) are not marked in the network data yet
    from outages.queries import reliability_report

    today = timezone.localdate()
    for row in reliability_report(year=today.year, region=region)["targets"]:
        if row["city_group"] == city_group and row["area"] in (area, "all"):
            return LiveValue(value=round(row["saidi_hours"], 3), unit="hour", as_of=today, period=str(today.year),
                             sample=row.get("customers"))
    return None
