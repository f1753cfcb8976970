"""Reads of oversight: county results for a 通报, the appraisal table, spot checks,
inspections and follow-ups within the user's jurisdiction, and report deliveries judged
against the policy's deadline (`report_on_time`)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts import queries as account_queries
from accounts.models import Division, Organisation, User
from core.labels import person
from monitoring import appraisal, judge, periods, queries, ranking, schedule
from monitoring.indicators import Measure, Scope
from monitoring.oversight_models import Bulletin, FollowUp, Inspection, ReportReceipt, SpotCheck

__all__ = ["person"]

# Indicators whose figures follow a county scope (the others are region-wide: reliability is
# reported per city group, violation reports and report deliveries per region).
COUNTY_INDICATORS = ("grid_side", "full_process", "stage_within_share", "stage_count", "category_target",
                     "online_share", "zero_investment_share", "next_day_within_share", "approval_within_share",
                     "completion_push_within_share")


def counties_of(*, region: str, user: User | None) -> list[Division]:
    """The region's counties the user may see (all of them for the system), by code."""
    counties = account_queries.counties() if user is None else account_queries.counties_for(user)
    return list(counties.filter(policy_region=region).order_by("code"))


def home_region(user: User) -> str:
    """The policy region the user works in (the first of their divisions); empty for everywhere."""
    j = access.jurisdiction(user)
    if j.everything or not j.division_ids:
        return ""
    return Division.objects.filter(id__in=j.division_ids).order_by("code").values_list("policy_region", flat=True).first()


def utility_names(counties: list[Division]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    for org in Organisation.objects.filter(division__in=counties, kind=Organisation.Kind.UTILITY).order_by("code"):
        names.setdefault(org.division_id, []).append(org.name)
    return {k: "、".join(v) for k, v in names.items()}


def county_measures(*, region: str, period: periods.Period, user: User | None) -> list[tuple[Division, list[Measure]]]:
    base = queries.scope_for(region=region, period=period, user=user)
    out = []
    for county in counties_of(region=region, user=user):
        scope: Scope = replace(base, county_ids=frozenset(access.division_subtree({county.id})))
        out.append((county, queries.measures(scope, codes=list(COUNTY_INDICATORS))))
    return out


def county_results(*, region: str, period: str, user: User) -> tuple[list[ranking.CountyResult], periods.Period, str]:
    parsed = queries.period_from(period)
    region_name = queries.region_names().get(region)
    if region_name is None:
        from core.errors import invalid

        raise invalid("region", f"未知地区 {region!r}")
    per_county = county_measures(region=region, period=parsed, user=user)
    utilities = utility_names([county for county, _ in per_county])
    results = []
    for county, measures in per_county:
        statuses = [m.status for m in measures]
        results.append(ranking.CountyResult(
            code=county.code, name=county.name, utility=utilities.get(county.id, ""),
            met=statuses.count(judge.MET), at_risk=statuses.count(judge.AT_RISK), missed=statuses.count(judge.MISSED),
            misses=tuple(m.name for m in measures if m.status == judge.MISSED)))
    return results, parsed, region_name


def bulletins(*, user: User, region: str | None = None) -> QuerySet[Bulletin]:
    regions = {c.policy_region for c in Division.objects.filter(level=Division.Level.PROVINCE)}
    j = access.jurisdiction(user)
    if not j.everything:
        regions = set(Division.objects.filter(id__in=j.division_ids).values_list("policy_region", flat=True))
    qs = Bulletin.objects.filter(region__in=regions).select_related("issued_by")
    return qs.filter(region=region) if region else qs


def bulletin(*, user: User, pk: int) -> Bulletin:
    from core.errors import NotFound

    found = bulletins(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"未找到通报 {pk}", fields={"id": "未找到"})
    return found


# ---------------------------------------------------------------- appraisal


def appraisal_table(*, region: str, year: int, user: User | None) -> dict:
    """业绩考核 of the region's county utilities for a year, ranked by score."""
    scheme = appraisal.load()
    try:
        period = periods.year(year)
    except periods.BadPeriod as exc:
        from core.errors import invalid

        raise invalid("year", str(exc)) from exc
    per_county = county_measures(region=region, period=period, user=user)
    utilities = utility_names([county for county, _ in per_county])
    rows = []
    for county, measures in per_county:
        result = appraisal.appraise(((m.code, m.status) for m in measures), scheme)
        rows.append({"county": county.name, "code": county.code, "utility": utilities.get(county.id, ""),
                     "score": result.score, "items": [result.items[item.code] for item in scheme.items],
                     "judged": result.judged})
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["code"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["score"] is not None else None
    return {"scheme": scheme, "rows": rows, "period": period}


def appraisal_workbook(table: dict, *, region_name: str) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "业绩考核"
    scheme = table["scheme"]
    sheet.append([f"{region_name}{table['period'].chinese}{scheme.name}"])
    sheet.append(["名次", "区县", "供电企业", "总分"] + [f"{item.name}（{item.weight:g}分）" for item in scheme.items]
                 + ["参评指标数"])
    for row in table["rows"]:
        sheet.append([row["rank"], row["county"], row["utility"], row["score"], *row["items"], row["judged"]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    weights = book.create_sheet("权重与理由")
    weights.append(["考核项", "权重", "所含指标", "理由"])
    for item in scheme.items:
        weights.append([item.name, item.weight, "、".join(item.indicators), item.reason])
    for status, credit in scheme.credit.items():
        weights.append([f"状态得分：{judge_name(status)}", credit, "", scheme.credit_reasons[status]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def judge_name(status: str) -> str:
    from monitoring.narrative import STATUS_NAMES

    return STATUS_NAMES[status]


# ---------------------------------------------------------------- spot checks, inspections


def _visible(user: User, qs: QuerySet) -> QuerySet:
    return access.scope(user, qs, division_field="county")


def spot_checks(*, user: User) -> QuerySet[SpotCheck]:
    return _visible(user, SpotCheck.objects.select_related("county", "drawn_by").annotate(
        size=Count("items"), reviewed=Count("items", filter=~Q(items__verdict="pending")),
        problems=Count("items", filter=Q(items__verdict="problem"))).order_by("-drawn_at", "-pk"))


def spot_check(*, user: User, pk: int) -> SpotCheck:
    return access.get_visible(user, SpotCheck.objects.select_related("county", "drawn_by"), pk=pk, what="抽查",
                              division_field="county")


def spot_check_items(check: SpotCheck):
    return check.items.select_related("application", "reviewed_by").order_by("position")


def spot_check_item(*, user: User, pk: int):
    from monitoring.oversight_models import SpotCheckItem

    return access.get_visible(user, SpotCheckItem.objects.select_related("spot_check"), pk=pk, what="抽查案例",
                              division_field="spot_check__county")


def _inspections() -> QuerySet[Inspection]:
    return Inspection.objects.select_related("county", "organisation", "recorded_by").prefetch_related("follow_ups")


def inspections(*, user: User) -> QuerySet[Inspection]:
    return _visible(user, _inspections())


def inspection(*, user: User, pk: int) -> Inspection:
    # get_visible scopes by itself: scoping `inspections()` too would filter the jurisdiction twice.
    return access.get_visible(user, _inspections(), pk=pk, what="检查记录", division_field="county")


def follow_up(*, user: User, pk: int) -> FollowUp:
    return access.get_visible(user, FollowUp.objects.select_related("inspection"), pk=pk, what="整改事项",
                              division_field="inspection__county")


def open_follow_ups(*, user: User) -> QuerySet[FollowUp]:
    qs = FollowUp.objects.filter(closed_at__isnull=True).select_related("inspection", "inspection__county")
    return access.scope(user, qs, division_field="inspection__county").order_by("due_on", "pk")


def organisations_in(county: Division) -> QuerySet[Organisation]:
    return Organisation.objects.filter(division=county).order_by("code")


# ---------------------------------------------------------------- scheduled reports


def due_on(due: schedule.Due) -> date | None:
    """The last day the policy allows, by the one clock (a day limit ending on a rest day moves on)."""
    if due.due_n is None:
        return None
    from workdays import clock
    from workdays.schedule import get_schedule

    return clock.add(due.last_day, due.due_n, due.due_unit, get_schedule())


def report_on_time(scope: Scope) -> list[Measure]:
    """For each scheduled report with a deadline that fell due in the period: the days after its
    period's end when it was delivered (or, undelivered, the days elapsed so far), judged
    against the deadline the clock computes."""
    today = scope.today or timezone.localdate()
    out = []
    for due in schedule.reports_due_within(scope.policy.get("reporting"), scope.period):
        deadline = due_on(due)
        receipt = ReportReceipt.objects.filter(kind=due.kind, region=scope.region, period=due.period.label).first()
        name = f"{(scope.policy.get('reporting') or {}).get(due.rule, {}).get('name', due.rule)}按时报送（{due.period.chinese}）"
        if receipt is not None:
            delivered = timezone.localdate(receipt.delivered_at)
            value, note = (delivered - due.last_day).days, f"{delivered:%Y-%m-%d} 送达"
            verdict = judge.MET if delivered <= deadline else judge.MISSED
        elif today > deadline:
            value, verdict, note = (today - due.last_day).days, judge.MISSED, "逾期未报送"
        else:
            continue  # not delivered yet, still within its time
        out.append(Measure("report_on_time", name, due.due_unit, value, float(due.due_n), judge.LOWER_IS_BETTER,
                           due.source, f"{due.rule}.{due.period.label}", note=f"{note}；截止 {deadline:%Y-%m-%d}",
                           verdict=verdict))
    return out


def endpoints():
    """Registered regulator endpoints, the active ones first, with who registered them."""
    from monitoring.models import RegulatorEndpoint

    return RegulatorEndpoint.objects.select_related("registered_by").order_by("-active", "-registered_at", "-pk")


def endpoint(pk: int):
    from core.errors import NotFound
    from monitoring.models import RegulatorEndpoint

    found = RegulatorEndpoint.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"未找到接收系统 {pk}", fields={"id": "未找到"})
    return found
