"""Reads of indicators: the only way the CLI, the API and the pages get them."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from accounts import access
from accounts.models import Division, User
from core.errors import NotFound, invalid
from monitoring.indicators import INDICATORS, Measure, Scope
from monitoring.models import ApplicationFact
from monitoring.periods import BadPeriod, Period, parse
from policies import queries as policy_queries

ROOT_REGION = "national"


def period_from(text: str) -> Period:
    try:
        return parse(text)
    except BadPeriod as exc:
        raise invalid("period", str(exc)) from exc


def _policy_for(region: str, period: Period) -> dict:
    last_day = min(period.end - timedelta(days=1), timezone.localdate())
    if last_day < period.start:
        raise invalid("period", f"{period.label} 尚未开始")
    document = dict(policy_queries.version_in_force(region=region, on=last_day).document)
    try:
        national = policy_queries.version_in_force(region=ROOT_REGION, on=last_day).document
    except NotFound:
        national = {}
    # The national limits ("现行国家规定时限") that relative targets are measured against.
    document["_national_limits"] = {
        code: category["grid_side_limit"]["value"]
        for code, category in national.get("categories", {}).items() if category.get("grid_side_limit")
    }
    return document


def county_ids_for(*, region: str, county: str | None, user: User | None) -> frozenset[int] | None:
    """The counties a request covers: a named county (with its subtree), narrowed to what the user may see."""
    ids: set[int] | None = None
    if county:
        found = Division.objects.filter(code=county, policy_region=region).first()
        if found is None:
            raise invalid("county", f"{region} 没有代码为 {county} 的区县")
        ids = access.division_subtree({found.id})
    if user is not None:
        j = access.jurisdiction(user)
        if not j.everything:
            ids = set(j.division_ids) if ids is None else ids & set(j.division_ids)
            if not ids:
                raise NotFound("county not in your jurisdiction", fields={"county": "不在您的管辖范围内"})
    return None if ids is None else frozenset(ids)


def scope_for(*, region: str, period: Period, county: str | None = None, user: User | None = None) -> Scope:
    if region not in policy_queries.known_regions() or region == ROOT_REGION:
        raise invalid("region", f"未知地区 {region!r}")
    return Scope(region=region, period=period, policy=_policy_for(region, period),
                 county_ids=county_ids_for(region=region, county=county, user=user), today=timezone.localdate())


def measures(scope: Scope, codes: list[str] | None = None) -> list[Measure]:
    out: list[Measure] = []
    for code, indicator in INDICATORS.items():
        if codes is None or code in codes:
            out += [replace(m, group=indicator.group) for m in indicator.compute(scope)]
    return out


def indicators_show(*, region: str, period: str, county: str | None = None, user: User | None = None,
                    refresh: bool = True) -> list[dict]:
    """Every indicator of a region (or county) for a period, live."""
    parsed = period_from(period)
    scope = scope_for(region=region, period=parsed, county=county, user=user)
    if refresh:
        from monitoring.actions import facts_refresh  # a read that first brings derived facts up to date

        facts_refresh()
    return [m.as_dict() for m in measures(scope)]


def facts_behind(*, user: User, region: str, period: str, category: str = "", stage: str = "", late: str = "",
                 county: str | None = None):
    """The applications a number rests on, within the user's jurisdiction (drill-down)."""
    parsed = period_from(period)
    ids = county_ids_for(region=region, county=county, user=user)
    qs = ApplicationFact.objects.filter(region=region, energised_on__gte=parsed.start, energised_on__lt=parsed.end)
    if ids is not None:
        qs = qs.filter(county_id__in=ids)
    if category:
        qs = qs.filter(category=category)
    if stage:
        qs = qs.filter(stages__code=stage)
        if late:
            qs = qs.filter(stages__code=stage, stages__within=False)
    elif late == "stage":
        qs = qs.filter(stages_late__gt=0)
    return qs.select_related("application", "county").order_by("-energised_on", "application_id")
