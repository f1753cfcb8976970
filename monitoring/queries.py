"""Reads of indicators: the only way the CLI, the API and the pages get them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts import access
from accounts.models import Division, User
from core.errors import NotFound, invalid
from monitoring import judge, periods
from monitoring.indicators import INDICATORS, Measure, Scope
from monitoring.models import ApplicationFact, RegulatorEndpoint
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


def _within_grid_limit():
    from monitoring.indicators import _held

    return Q(grid_side_limit__gte=_held("grid_side"))


def monthly_trend(scope: Scope) -> dict:
    """Per month of the period's year, up to the period's end: cases energised, share within
    the grid-side limit, average full-process working days and cases with a late stage."""
    year_start = date(scope.period.year, 1, 1)
    qs = scope.facts().filter(energised_on__gte=year_start, energised_on__lt=scope.period.end)
    rows = {r["month"]: r for r in qs.annotate(month=TruncMonth("energised_on")).values("month").annotate(
        n=Count("pk"), limited=Count("pk", filter=Q(grid_side_limit__isnull=False)),
        within=Count("pk", filter=_within_grid_limit()), late=Count("pk", filter=Q(stages_late__gt=0)),
        full=Avg("full_process_workdays"))}
    months = [m for m in periods.year(scope.period.year).months() if m.start < scope.period.end]
    series = {"months": [m.label for m in months], "energised": [], "within_share": [], "late": [], "full_avg": []}
    for month in months:
        found = rows.get(month.start) or rows.get(_as_datetime(month.start)) or {}
        series["energised"].append(found.get("n", 0))
        series["within_share"].append(judge.share(found.get("within", 0), found.get("limited", 0)))
        series["late"].append(found.get("late", 0))
        full = found.get("full")
        series["full_avg"].append(None if full is None else round(float(full), 2))
    return series


def _as_datetime(day: date):
    # TruncMonth over a DateField answers a date on every backend we run; keep a datetime fallback.
    return datetime(day.year, day.month, day.day)


RANKING_COLUMNS = {
    "within_share": "电网环节按时率",
    "energised": "送电户数",
    "late": "超时案例",
    "escalations": "督办次数",
    "rating": "平均评分",
}


def county_ranking(scope: Scope, *, sort: str = "within_share") -> list[dict]:
    """Counties of the region (within the user's reach) ranked for the period; a `sort` outside
    the columns is refused naming the field."""
    if sort not in RANKING_COLUMNS:
        raise invalid("sort", f"可按 {', '.join(RANKING_COLUMNS)} 排序")
    grouped = scope.energised().values("county_id", "county__name", "county__code").annotate(
        energised=Count("pk"), limited=Count("pk", filter=Q(grid_side_limit__isnull=False)),
        within=Count("pk", filter=_within_grid_limit()), late=Count("pk", filter=Q(stages_late__gt=0)),
        escalations=Sum("escalations"), rating=Avg("rating"))
    rows = [{"county": r["county__name"], "code": r["county__code"], "energised": r["energised"],
             "within_share": judge.share(r["within"], r["limited"]), "within": r["within"], "limited": r["limited"],
             "late": r["late"],
             "escalations": r["escalations"] or 0, "rating": None if r["rating"] is None else round(r["rating"], 2)}
            for r in grouped]
    better_high = sort in ("within_share", "energised", "rating")
    rows.sort(key=lambda r: (r[sort] is None, -(r[sort] or 0) if better_high else (r[sort] or 0), r["code"]))
    for rank, r in enumerate(rows, start=1):
        r["rank"] = rank
    return rows


def region_names() -> dict[str, str]:
    """The regions with their names, the national root left out."""
    return {region: name for region, name in sorted(policy_queries.region_names().items()) if region != ROOT_REGION}


# ---------------------------------------------------------------- the overview the regulator lands on

def overview(*, user: User, today: date) -> list[dict]:
    """Per policy region the user oversees, per county: applications in hand and awaiting 受理,
    stages past due now, this year's on-time rate (the county ranking's) and complaints open and
    overdue; with the region's totals. Facts must be fresh (the caller refreshes them)."""
    from applications import queries as application_queries
    from applications.models import Status
    from complaints import queries as complaint_queries

    visible = application_queries.applications_for(user)
    statuses: dict[int, dict[str, int]] = {}
    for row in visible.values("county", "status").annotate(n=Count("id")):
        statuses.setdefault(row["county"], {})[row["status"]] = row["n"]
    overdue = dict(application_queries.overdue_stages(today).filter(application__in=visible)
                   .values("application__county").annotate(n=Count("id")).values_list("application__county", "n"))
    complaints = {r["county"].pk: r for r in complaint_queries.counts_by_county(user, today=today)}
    counties = (Division.objects.filter(pk__in=set(statuses) | set(overdue) | set(complaints))
                .select_related("parent").order_by("code"))
    year = periods.containing(today, "year")
    names = region_names()
    regions = []
    for region in sorted({c.policy_region for c in counties if c.policy_region in names}):
        ranking = {r["code"]: r for r in county_ranking(scope_for(region=region, period=year, user=user))}
        rows = []
        for county in (c for c in counties if c.policy_region == region):
            counts, ranked, filed = statuses.get(county.pk, {}), ranking.get(county.code, {}), complaints.get(county.pk, {})
            rows.append({
                "county": county, "in_progress": counts.get(Status.IN_PROGRESS, 0),
                "submitted": counts.get(Status.SUBMITTED, 0), "overdue": overdue.get(county.pk, 0),
                "energised": ranked.get("energised", 0), "within_share": ranked.get("within_share"),
                "within": ranked.get("within", 0), "limited": ranked.get("limited", 0),
                "complaints_open": filed.get("open", 0), "complaints_overdue": filed.get("overdue", 0),
                "complaints_total": filed.get("total", 0),
            })
        totals = {key: sum(r[key] for r in rows) for key in (
            "in_progress", "submitted", "overdue", "energised", "within", "limited", "complaints_open",
            "complaints_overdue", "complaints_total")}
        totals["within_share"] = judge.share(totals["within"], totals["limited"])
        regions.append({"region": region, "name": names[region], "period": year, "rows": rows, "totals": totals})
    return regions


def reports():
    """Generated reports, newest first (the model's order)."""
    from monitoring.models import Report

    return Report.objects.all()


def endpoints():
    """The regulator systems indicator changes are pushed to, active and retired."""
    return RegulatorEndpoint.objects.all()


def endpoint(pk: int) -> RegulatorEndpoint | None:
    return RegulatorEndpoint.objects.filter(pk=pk).first()


FEED_MAX_PAGE = 200


def supervision_feed(*, user: User, region: str = "", county: str | None = None, submitted_from: date | None = None,
                     submitted_to: date | None = None, page: int = 1, page_size: int = 50) -> dict:
    """受电工程市场监管: per application, who the customer chose to design, build and supply the
    receiving works and what it was charged, within the user's jurisdiction; newest first."""
    from applications.models import Application

    if not access.can(user, "indicators.view"):
        from core.errors import Forbidden

        raise Forbidden("只有营销主管、能源主管部门、能源监管机构和管理员可读取监管数据", fields={"role": "无权读取"})
    if not 1 <= page_size <= FEED_MAX_PAGE:
        raise invalid("page_size", f"1 到 {FEED_MAX_PAGE}")
    qs = access.scope(user, Application.objects.all(), division_field="county", utility_field="utility")
    if region:
        if region not in policy_queries.known_regions():
            raise invalid("region", f"未知地区 {region!r}")
        qs = qs.filter(region=region)
    if county:
        found = Division.objects.filter(code=county).first()
        if found is None:
            raise invalid("county", f"没有代码为 {county} 的区县")
        qs = qs.filter(county_id__in=access.division_subtree({found.id}))
    if submitted_from:
        qs = qs.filter(first_submitted_at__date__gte=submitted_from)
    if submitted_to:
        qs = qs.filter(first_submitted_at__date__lte=submitted_to)
    total = qs.count()
    start = (page - 1) * page_size
    rows = list(qs.select_related("county").prefetch_related("contractors", "fees")
                .order_by("-first_submitted_at", "-id")[start:start + page_size])
    return {"count": total, "page": page, "page_size": page_size, "results": [_feed_row(a) for a in rows]}


def _feed_row(application) -> dict:
    fees = list(application.fees.all())
    charged = [f for f in fees if f.cancelled_at is None]
    return {
        "number": application.number, "region": application.region, "county": application.county.code,
        "county_name": application.county.name, "category": application.category,
        "category_name": application.category_name, "status": application.status,
        "applicant_kind": application.applicant_kind,
        # A person's name is personal data; an enterprise's name and credit code are public.
        "applicant_name": application.applicant_name if application.applicant_kind == "enterprise" else "",
        "uscc": application.uscc, "enterprise_size": application.enterprise_size,
        "voltage_kv": application.voltage_kv, "capacity_kva": application.capacity_kva,
        "submitted_at": application.first_submitted_at, "energised_at": application.energised_at,
        "zero_investment": application.zero_investment,
        "contractors": [{"role": c.role, "role_name": c.get_role_display(), "name": c.name, "uscc": c.uscc,
                         "chosen_at": c.chosen_at} for c in application.contractors.all()],
        "fees": [{"item": f.item, "catalogue_code": f.catalogue_code, "basis": f.basis, "amount": f.amount,
                  "works": f.works, "added_at": f.added_at, "cancelled": f.cancelled_at is not None} for f in fees],
        "fees_total": sum((f.amount for f in charged), start=Decimal("0")),
    }


def suspect_rules() -> dict:
    from monitoring import suspects

    return suspects.RULES


def suspects_in(scope: Scope, *, rule: str = "") -> list:
    """体外循环 suspects of a scope, by rule (a rule outside the registry is refused naming the field)."""
    from monitoring import suspects

    if rule and rule not in suspects.RULES:
        raise invalid("rule", f"可选规则：{', '.join(suspects.RULES)}")
    return suspects.listing(scope, rule=rule)
