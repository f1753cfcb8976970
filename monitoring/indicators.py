"""The indicator registry: every quantified promise of a policy, measured from live data.

Each entry declares its code, 中文 name, unit, direction, the policy target patterns it
measures (see `monitoring.targets`) and a compute function. Compute functions are SQL
aggregates over the fact table (`monitoring.models`), grouped in the database; they
return one `Measure` per dimension (a category, a stage, an area). Adding an indicator
is adding an entry here; a test walks every policy and fails when a target has none."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Avg, Case, CharField, Count, F, Func, IntegerField, Q, QuerySet, Sum, When

from monitoring import judge
from monitoring.models import ApplicationFact, StageFact
from monitoring.periods import Period
from workdays import clock
from workdays.schedule import get_schedule

UNIT_NAMES = {"workday": "个工作日", "day": "天", "stage": "个", "percent": "%", "hour": "小时", "count": "件", "score": "分",
              "per_10k": "件/万户", "yuan": "元"}


@dataclass(frozen=True)
class Scope:
    region: str
    period: Period
    policy: dict[str, Any]  # the resolved policy document in force at the period's end
    county_ids: frozenset[int] | None = None  # None: the whole region
    today: date | None = None
    # Grouped aggregates of the period, computed once and shared by every indicator
    # (`rollup`), or filled for many months in one pass (`prefetch_months`).
    cache: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def facts(self) -> QuerySet[ApplicationFact]:
        qs = ApplicationFact.objects.filter(region=self.region)
        return qs if self.county_ids is None else qs.filter(county_id__in=self.county_ids)

    def energised(self) -> QuerySet[ApplicationFact]:
        return self.facts().filter(energised_on__gte=self.period.start, energised_on__lt=self.period.end)

    def submitted(self) -> QuerySet[ApplicationFact]:
        return self.facts().filter(submitted_on__gte=self.period.start, submitted_on__lt=self.period.end)

    def stages(self) -> QuerySet[StageFact]:
        qs = StageFact.objects.filter(region=self.region, ended_on__gte=self.period.start, ended_on__lt=self.period.end)
        return qs if self.county_ids is None else qs.filter(county_id__in=self.county_ids)

    def category_name(self, code: str) -> str:
        return self.policy.get("categories", {}).get(code, {}).get("name", code)


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    unit: str
    value: float | None
    target: float | None
    direction: str
    source: str
    dimension: str = ""
    cases: int | None = None  # how many cases the value rests on
    note: str = ""
    drill: dict[str, str] = field(default_factory=dict)  # filters that list the cases behind it
    group: str = ""  # the indicator group it is shown under (filled in by queries.measures)
    verdict: str | None = None  # a judgement the value alone cannot give ("目标或同比压减" met either way)

    @property
    def status(self) -> str:
        return self.verdict or judge.status(self.value, self.target, self.direction)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "unit": self.unit, "value": self.value, "target": self.target,
                "direction": self.direction, "status": self.status, "source": self.source,
                "dimension": self.dimension, "cases": self.cases, "note": self.note, "group": self.group}


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    direction: str
    measures: tuple[str, ...]  # policy target patterns this indicator is judged against
    compute: Callable[[Scope], list[Measure]]
    group: str = "办电时长"


def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _held(kind: str):
    """The case's time in the unit of its own limit (Zhejiang 天, Zaozhuang 工作日)."""
    return Case(When(**{f"{kind}_limit_unit": "day"}, then=F(f"{kind}_days")),
                default=F(f"{kind}_workdays"), output_field=IntegerField())


def _p90_by(qs: QuerySet, expression, groups: list[str]) -> dict[tuple, float]:
    """Nearest-rank 90th percentile of `expression` per value of `groups`, from a histogram
    the database counts (how many cases per group held each number of days) in one grouped
    pass; the rank is then read off the counts, never off the rows."""
    histograms: dict[tuple, list[tuple[float, int]]] = {}
    rows = qs.annotate(held_value=expression).exclude(held_value__isnull=True).values(*groups, "held_value").annotate(
        n=Count("pk"))
    for row in rows:
        histograms.setdefault(tuple(row[g] for g in groups), []).append((float(row["held_value"]), row["n"]))
    return {key: judge.percentile_of_counts(counts, 90) for key, counts in histograms.items()}


LIMITED_KINDS = ("grid_side", "full_process")
SANLING = Q(residential=False, voltage_kv__lt=1)  # LV non-residential: the cases 三零 is promised to
LARGE_AND_MEDIUM = ("large", "medium")


def _energised_aggregates() -> dict:
    """Every per-category figure of the energised cases, as conditional aggregates of one pass."""
    big = Q(enterprise_size__in=LARGE_AND_MEDIUM)
    aggregates = {
        "n": Count("pk"), "stage_avg": Avg("stage_count"), "stage_over": Count("pk", filter=Q(stage_count__gt=F("stage_cap"))),
        "n_day": Count("full_process_days"), "n_workday": Count("full_process_workdays"),
        "avg_day": Avg("full_process_days"), "avg_workday": Avg("full_process_workdays"),
        "grid_day": Avg("grid_side_days"), "grid_workday": Avg("grid_side_workdays"),
        "zero_n": Count("pk", filter=Q(zero_investment__isnull=False)), "zero_kept": Count("pk", filter=Q(zero_investment=True)),
        "sanling_n": Count("pk", filter=SANLING), "sanling": Count("pk", filter=SANLING & Q(sanling=True)),
        "late": Count("pk", filter=Q(stages_late__gt=0)), "escalated": Sum("escalations"),
        "rating_n": Count("rating"), "rating_sum": Sum("rating"),
        "sansheng_n": Count("pk", filter=big),
        "sansheng": Count("pk", filter=big & Q(online=True, works_charged=False) & (
            Q(grid_side_limit__isnull=True) | Q(grid_side_limit__gte=_held("grid_side")))),
    }
    for kind in LIMITED_KINDS:
        limited = Q(**{f"{kind}_limit__isnull": False})
        aggregates |= {f"{kind}_n": Count("pk", filter=limited), f"{kind}_avg": Avg(_held(kind), filter=limited),
                       f"{kind}_within": Count("pk", filter=limited & Q(**{f"{kind}_limit__gte": _held(kind)}))}
    return aggregates


def _grouped(qs: QuerySet, keys: list[str]) -> dict:
    """The month's figures of a scope's tables grouped by `keys` (category, stage, month): the
    energised cases, the P90 of both limited times, the ended stages and the filed cases."""
    energised = {tuple(r[k] for k in keys): r for r in qs["energised"].values(*keys).annotate(**_energised_aggregates())}
    p90 = {kind: _p90_by(qs["energised"].exclude(**{f"{kind}_limit": None}), _held(kind), keys) for kind in LIMITED_KINDS}
    stage_keys = [*keys, "code"]
    stages = {tuple(r[k] for k in stage_keys): r for r in qs["stages"].exclude(within=None).values(*stage_keys).annotate(
        n=Count("pk"), within_n=Count("pk", filter=Q(within=True)))}
    submitted_keys = [k for k in keys if k != "category"]
    submitted = {tuple(r[k] for k in submitted_keys): r for r in qs["submitted"].values(*submitted_keys).annotate(
        n=Count("pk"), online=Count("pk", filter=Q(online=True)))} if submitted_keys else {
        (): qs["submitted"].aggregate(n=Count("pk"), online=Count("pk", filter=Q(online=True)))}
    return {"energised": energised, "p90": p90, "stages": stages, "submitted": submitted}


def rollup(scope: Scope) -> dict:
    """The scope's grouped figures: per category (energised, P90), per category and stage, and
    the filed cases; one query per table, computed once per scope."""
    if "rollup" not in scope.cache:
        found = _grouped({"energised": scope.energised(), "stages": scope.stages(), "submitted": scope.submitted()},
                         ["category"])
        scope.cache["rollup"] = {
            "energised": {key[0]: row for key, row in found["energised"].items()},
            "p90": {kind: {key[0]: v for key, v in values.items()} for kind, values in found["p90"].items()},
            "stages": {key: row for key, row in found["stages"].items()},
            "submitted": found["submitted"][()],
        }
    return scope.cache["rollup"]


class MonthLabel(Func):
    """"2025-06" of a date column, in plain SQL (Django's TruncMonth is a Python function per
    row on SQLite, which costs seconds over a million facts)."""
    output_field = CharField()
    template = "to_char(%(expressions)s, 'YYYY-MM')"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


class Unindexed(Func):
    """The column as is, but kept off its index on SQLite (a unary +): a pass over a whole
    year reads most of the table, which a plain scan does several times faster than
    index lookups row by row."""
    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


def _by_month(model, column: str, scope: Scope, first: str, last: str) -> QuerySet:
    """The rows of `model` in the scope's region (and counties) whose `column` falls in the
    months first..last, each with its month label."""
    qs = model.objects.alias(in_region=Unindexed(F("region"))).filter(in_region=scope.region)
    if scope.county_ids is not None:
        qs = qs.filter(county_id__in=scope.county_ids)
    return qs.annotate(month=MonthLabel(column)).filter(month__gte=first, month__lte=last)


def prefetch_months(scopes: list[Scope]) -> None:
    """Fill the rollup of many month scopes (one region and jurisdiction) in one grouped pass
    per table over their whole span, instead of one pass per month."""
    if not scopes:
        return
    first = scopes[0]
    labels = [f"{scope.period.start:%Y-%m}" for scope in scopes]
    span = (min(labels), max(labels))
    found = _grouped({"energised": _by_month(ApplicationFact, "energised_on", first, *span),
                      "stages": _by_month(StageFact, "ended_on", first, *span),
                      "submitted": _by_month(ApplicationFact, "submitted_on", first, *span)}, ["month", "category"])

    def by_month(rows: dict) -> dict:
        out: dict = {}
        for key, row in rows.items():
            out.setdefault(key[0], {})[key[1:] if len(key) > 2 else key[1]] = row
        return out

    energised, stages = by_month(found["energised"]), by_month(found["stages"])
    p90 = {kind: by_month(values) for kind, values in found["p90"].items()}
    submitted = {key[0]: row for key, row in found["submitted"].items()}
    for scope, month in zip(scopes, labels, strict=True):
        scope.cache["rollup"] = {
            "energised": energised.get(month, {}), "p90": {kind: p90[kind].get(month, {}) for kind in LIMITED_KINDS},
            "stages": stages.get(month, {}), "submitted": submitted.get(month, {"n": 0, "online": 0})}


def _total(scope: Scope, *names: str) -> dict[str, int | float]:
    """Scope-wide sums of per-category counts of the rollup."""
    rows = rollup(scope)["energised"].values()
    return {name: sum(row[name] or 0 for row in rows) for name in names}


def _limit_measures(kind: str, label: str) -> Callable[[Scope], list[Measure]]:
    """Average, P90 and share within the per-case limit, per category with such a limit."""

    def compute(scope: Scope) -> list[Measure]:
        grouped, p90s = rollup(scope)["energised"], rollup(scope)["p90"][kind]
        out = []
        for code, category in scope.policy.get("categories", {}).items():
            limit = category.get(f"{kind}_limit")
            if not limit:
                continue
            found = grouped.get(code, {})
            row = {"n": found.get(f"{kind}_n", 0), "avg": found.get(f"{kind}_avg"), "within": found.get(f"{kind}_within", 0)}
            name, unit, source = scope.category_name(code), limit["unit"], limit.get("source", "")
            drill = {"category": code, "energised": scope.period.label}
            p90 = p90s.get(code)
            out += [
                Measure(f"{kind}_avg", f"{name}：{label}平均时长", unit, _round(row["avg"]), float(limit["value"]),
                        judge.LOWER_IS_BETTER, source, code, row["n"], drill=drill),
                Measure(f"{kind}_p90", f"{name}：{label}时长第90百分位", unit, p90, float(limit["value"]),
                        judge.LOWER_IS_BETTER, source, code, row["n"], drill=drill),
                Measure(f"{kind}_within_share", f"{name}：{label}逐案不超时限的比例", "percent",
                        judge.share(row["within"], row["n"]), 100.0, judge.HIGHER_IS_BETTER, source, code, row["n"],
                        drill={**drill, "late": kind}),
            ]
        return out

    return compute


def _stage_within(scope: Scope) -> list[Measure]:
    rows = rollup(scope)["stages"]
    out = []
    for category_code, category in scope.policy.get("categories", {}).items():
        for stage in category.get("stages", []):
            if not stage.get("limit"):
                continue
            row = rows.get((category_code, stage["code"]), {"n": 0, "within_n": 0})
            out.append(Measure("stage_within_share",
                               f"{scope.category_name(category_code)}：{stage['name']}环节按时办结比例", "percent",
                               judge.share(row["within_n"], row["n"]), 100.0, judge.HIGHER_IS_BETTER,
                               stage["limit"].get("source", ""), f"{category_code}.{stage['code']}", row["n"],
                               drill={"category": category_code, "stage": stage["code"], "energised": scope.period.label}))
    return out


def _category_targets(scope: Scope) -> list[Measure]:
    """Targets a category states beyond its limits: an average, or a reduction relative to a basis."""
    categories = {code: c for code, c in scope.policy.get("categories", {}).items() if c.get("targets")}
    if not categories:
        return []
    rows = rollup(scope)["energised"]
    last_year: dict[str, dict] | None = None
    out = []
    for code, category in categories.items():
        row = rows.get(code, {})
        for target_code, target in category["targets"].items():
            quantity = target["quantity"]
            unit, kind, source = quantity["unit"], quantity["kind"], quantity.get("source", "")
            column = "day" if unit == "day" else "workday"
            n, avg = row.get(f"n_{column}", 0), _round(row.get(f"avg_{column}"))
            name = f"{scope.category_name(code)}：{target['name']}"
            if kind in ("average", "limit"):
                out.append(Measure("category_target", name, unit, avg, float(quantity["value"]), judge.LOWER_IS_BETTER,
                                   source, f"{code}.{target_code}", n, drill={"category": code}))
            elif kind == "relative" and unit == "percent":
                out.append(_reduction_vs_national(scope, code, category, target_code, name, quantity, row))
            else:
                # "再压减1-3个工作日" against last year's average: compare like with like.
                if last_year is None:
                    last_year = rollup(replace(scope, period=scope.period.same_last_year()))["energised"]
                base = last_year.get(code, {}).get(f"avg_{column}")
                goal = None if base is None else round(float(base) - float(quantity["value"]), 2)
                out.append(Measure("category_target", name, unit, avg, goal, judge.LOWER_IS_BETTER, source,
                                   f"{code}.{target_code}", n, note="目标=上年同期平均值减去压减量" if goal is not None
                                   else "上年同期无已办结案例，无法比较", drill={"category": code}))
    return out


def _reduction_vs_national(scope: Scope, code: str, category: dict, target_code: str, name: str, quantity: dict,
                           row: dict) -> Measure:
    """Share by which the average grid-side time undercuts the national limit (e.g. 53 days)."""
    national = scope.policy.get("_national_limits", {}).get(code)
    unit = (category.get("grid_side_limit") or {}).get("unit", category.get("unit", "workday"))
    avg = row.get("grid_day" if unit == "day" else "grid_workday")
    value = None if avg is None or not national else round(100 * (1 - float(avg) / national), 2)
    return Measure("category_target", name, "percent", value, float(quantity["value"]), judge.HIGHER_IS_BETTER,
                   quantity.get("source", ""), f"{code}.{target_code}", row.get("n", 0),
                   note="" if national else "国家规定时限未在根政策中列出", drill={"category": code})


def _online_share(scope: Scope) -> list[Measure]:
    target = scope.policy.get("targets", {}).get("online_rate")
    counts = rollup(scope)["submitted"]
    return [Measure("online_share", "线上申请比例", "percent", judge.share(counts["online"], counts["n"]),
                    None if target is None else float(target["quantity"]["value"]), judge.HIGHER_IS_BETTER,
                    "" if target is None else target["quantity"].get("source", ""), cases=counts["n"])]


def _zero_investment(scope: Scope) -> list[Measure]:
    zero = scope.policy.get("zero_investment") or {}
    sources = "; ".join(s.get("source", "") for s in zero.get("scope", {}).values())
    counts = _total(scope, "zero_n", "zero_kept")
    counts = {"n": counts["zero_n"], "kept": counts["zero_kept"]}
    return [Measure("zero_investment_share", "应享零投资的用户实际未承担接电工程费用的比例", "percent",
                    judge.share(counts["kept"], counts["n"]), 100.0 if zero else None, judge.HIGHER_IS_BETTER,
                    sources, cases=counts["n"])]


def _sanling_share(scope: Scope) -> list[Measure]:
    counts = _total(scope, "sanling_n", "sanling")
    counts["n"] = counts["sanling_n"]
    return [Measure("sanling_share", "低压非居民用户中享受“三零”服务的比例", "percent",
                    judge.share(counts["sanling"], counts["n"]), None, judge.HIGHER_IS_BETTER, "", cases=counts["n"],
                    note="政策未给出比例目标，仅监测")]


def _next_day(scope: Scope) -> list[Measure]:
    """当日申请，次日接电 bounds the whole process: a case is within when it was energised by the
    limit counted from its application day under the legal clock (a Friday application
    connected on Monday is on time: the limit's last day, Saturday, moves to the working day)."""
    rule = scope.policy.get("next_day_connection")
    if not rule:
        return []
    limit, unit = int(rule["limit"]["value"]), rule["limit"]["unit"]
    # One row per (application day, energised day): the due date is computed once per application day.
    classes = scope.policy.get("voltage_classes") or {}
    voltage = ({"voltage_kv__lte": classes["lv"]["max"]["value"]} if rule["voltage"] == "lv" else
               {"voltage_kv__gte": classes["hv"]["min"]["value"]}) if classes else {}
    cases = scope.energised().filter(**voltage, **({"no_works": True} if rule.get("no_works") else {}))
    pairs = cases.values("submitted_on", "energised_on").annotate(n=Count("pk"))
    schedule = get_schedule()
    due: dict[date, date] = {}
    n = within = 0
    for pair in pairs:
        applied = pair["submitted_on"]
        if applied not in due:
            due[applied] = clock.add(applied, limit, unit, schedule)
        n += pair["n"]
        within += pair["n"] if pair["energised_on"] <= due[applied] else 0
    return [Measure("next_day_within_share", "低压无工程用户“当日申请、次日接电”达成比例", "percent",
                    judge.share(within, n), 100.0, judge.HIGHER_IS_BETTER, rule["limit"].get("source", ""), cases=n)]


def _overdue(scope: Scope) -> list[Measure]:
    counts = _total(scope, "n", "late", "escalated")
    return [
        Measure("late_cases", "存在超时环节的已送电案例数", "count", counts["late"], None, judge.LOWER_IS_BETTER, "",
                cases=counts["n"], note="政策要求逐案不超时限，计数供督办", drill={"energised": scope.period.label, "late": "stage"}),
        Measure("escalations", "督办次数", "count", counts["escalated"] or 0, None, judge.LOWER_IS_BETTER, "",
                cases=counts["n"]),
    ]


def _ratings(scope: Scope) -> list[Measure]:
    counts = _total(scope, "rating_n", "rating_sum")
    n = counts["rating_n"]
    average = _round(counts["rating_sum"] / n) if n else None
    return [Measure("rating_avg", "客户评价平均分", "score", average, None, judge.HIGHER_IS_BETTER, "",
                    cases=n, note="政策未给出评分目标，仅监测")]


INDICATORS: dict[str, Indicator] = {
    "grid_side": Indicator("电网环节办理时长", "workday", judge.LOWER_IS_BETTER, ("categories.*.grid_side_limit",),
                           _limit_measures("grid_side", "电网环节")),
    "full_process": Indicator("全流程办理时长", "workday", judge.LOWER_IS_BETTER, ("categories.*.full_process_limit",),
                              _limit_measures("full_process", "全流程")),
    "stage_within_share": Indicator("各环节按时办结比例", "percent", judge.HIGHER_IS_BETTER,
                                    ("categories.*.stages[*].limit",), _stage_within),
    "stage_count": Indicator("办电环节数", "stage", judge.LOWER_IS_BETTER, ("categories.*.max_stages",),
                             lambda scope: _stage_count(scope), group="办电环节"),
    "category_target": Indicator("类别目标（平均时长、压减）", "workday", judge.LOWER_IS_BETTER,
                                 ("categories.*.targets.*.quantity",), _category_targets),
    "online_share": Indicator("线上办电比例", "percent", judge.HIGHER_IS_BETTER, ("targets.*.quantity",),
                              _online_share, group="线上办电"),
    "zero_investment_share": Indicator("零投资落实比例", "percent", judge.HIGHER_IS_BETTER,
                                       ("zero_investment.scope.*.thresholds.*",), _zero_investment, group="办电成本"),
    "sanling_share": Indicator("“三零”服务覆盖比例", "percent", judge.HIGHER_IS_BETTER, (), _sanling_share,
                               group="办电成本"),
    "next_day_within_share": Indicator("当日申请次日接电达成比例", "percent", judge.HIGHER_IS_BETTER,
                                       ("next_day_connection.limit",), _next_day),
    "overdue": Indicator("超时与督办", "count", judge.LOWER_IS_BETTER, (), _overdue, group="督办"),
    "rating_avg": Indicator("客户评价", "score", judge.HIGHER_IS_BETTER, (), _ratings, group="服务质量"),
    "approval_within_share": Indicator(
        "电力接入工程审批按时办结比例", "percent", judge.HIGHER_IS_BETTER, ("approvals.limits.*.limits[*]",),
        lambda scope: _approvals(scope), group="审批"),
    "completion_push_within_share": Indicator(
        "竣工信息按时推送比例", "percent", judge.HIGHER_IS_BETTER, ("approvals.completion_push.within",),
        lambda scope: _completion_push(scope), group="审批"),
    "violation_reports_within_share": Indicator(
        "“三指定”及违规收费举报按时办结比例", "percent", judge.HIGHER_IS_BETTER, ("fees.report_limit",),
        lambda scope: _violation_reports(scope), group="办电成本"),
    "saidi": Indicator(
        "户均停电时间", "hour", judge.LOWER_IS_BETTER,
        ("reliability_targets[*].saidi", "reliability_targets[*].yoy_reduction", "high_reliability_zones.saidi"),
        lambda scope: _saidi(scope), group="供电可靠性"),
    "report_on_time": Indicator(
        "报告按时报送", "day", judge.LOWER_IS_BETTER, ("reporting.*.due",),
        lambda scope: _report_on_time(scope), group="报告"),
}


def _approvals(scope: Scope) -> list[Measure]:
    """Department cases decided in the period, per department: share decided by their due date."""
    from approvals.models import DEPARTMENT_CHOICES, DepartmentCase

    limits = (scope.policy.get("approvals") or {}).get("limits", {})
    source = "; ".join(limit.get("source", "") for limit in limits.values())
    qs = DepartmentCase.objects.filter(request__application__region=scope.region, decided_at__isnull=False,
                                       decided_at__date__gte=scope.period.start, decided_at__date__lt=scope.period.end)
    if scope.county_ids is not None:
        qs = qs.filter(request__application__county_id__in=scope.county_ids)
    rows = {r["department"]: r for r in qs.values("department").annotate(
        n=Count("pk"), within=Count("pk", filter=Q(decided_at__date__lte=F("due_date")) | Q(due_date__isnull=True)))}
    names = dict(DEPARTMENT_CHOICES)
    return [Measure("approval_within_share", f"{names.get(code, code)}：审批按时办结比例", "percent",
                    judge.share(row["within"], row["n"]), 100.0 if limits else None, judge.HIGHER_IS_BETTER, source,
                    code, row["n"]) for code, row in sorted(rows.items())] or [
        Measure("approval_within_share", "电力接入工程审批按时办结比例", "percent", None, 100.0 if limits else None,
                judge.HIGHER_IS_BETTER, source, note="本期没有办结的审批案件")]


def _completion_push(scope: Scope) -> list[Measure]:
    from approvals.models import ApprovalRequest

    rule = (scope.policy.get("approvals") or {}).get("completion_push")
    if not rule:
        return []
    today = scope.today or scope.period.end
    qs = ApprovalRequest.objects.filter(application__region=scope.region, completion_push_due__gte=scope.period.start,
                                        completion_push_due__lt=min(scope.period.end, today))
    if scope.county_ids is not None:
        qs = qs.filter(application__county_id__in=scope.county_ids)
    counts = qs.aggregate(n=Count("pk"), within=Count("pk", filter=Q(
        completion_pushed_at__isnull=False, completion_pushed_at__date__lte=F("completion_push_due"))))
    return [Measure("completion_push_within_share", "竣工信息在期限内推送至审批部门的比例", "percent",
                    judge.share(counts["within"], counts["n"]), 100.0, judge.HIGHER_IS_BETTER,
                    rule["within"].get("source", ""), cases=counts["n"])]


def _violation_reports(scope: Scope) -> list[Measure]:
    from disclosure.models import ViolationReport

    limit = (scope.policy.get("fees") or {}).get("report_limit")
    if not limit:
        return []
    qs = ViolationReport.objects.filter(region=scope.region, received_at__date__gte=scope.period.start,
                                        received_at__date__lt=scope.period.end)
    counts = qs.aggregate(n=Count("pk"), within=Count("pk", filter=Q(
        closed_at__isnull=False, closed_at__date__lte=F("due_date"))))
    return [Measure("violation_reports_within_share", "“三指定”及违规收费举报在时限内办结的比例", "percent",
                    judge.share(counts["within"], counts["n"]), 100.0, judge.HIGHER_IS_BETTER,
                    limit.get("reason") or limit.get("source", ""), cases=counts["n"])]


def _saidi(scope: Scope) -> list[Measure]:
    """户均停电时间 per city group and area, year to date, against the year's target or the
    year-on-year cut where the policy says "或" (met if either holds)."""
    from outages.labels import LABELS as OUTAGE_LABELS
    from outages.models import Area
    from outages.queries import reliability_report

    report = reliability_report(year=scope.period.year, region=scope.region)
    groups, areas = OUTAGE_LABELS["city_group"], dict(Area.choices) | {"all": "全部区域"}
    out = []
    for row in report["targets"]:
        verdict = {True: judge.MET, False: judge.MISSED, None: None}[row.get("met")]
        out.append(Measure(
            "saidi", f"户均停电时间：{groups.get(row['city_group'], '全部城市')} · {areas.get(row['area'], row['area'])}",
            "hour", round(row["saidi_hours"], 3), row.get("target_hours"), judge.LOWER_IS_BETTER, row.get("source") or "",
            f"{row['city_group']}.{row['area']}", row.get("customers"), verdict=verdict,
            note=(f"{scope.period.year}年初至今；或同比压减{row['yoy_reduction_percent']}%"
                  if row.get("yoy_reduction_percent") else f"{scope.period.year}年初至今")))
    zones = scope.policy.get("high_reliability_zones")
    if zones:
        bound, source = float(zones["saidi"]["value"]), zones["saidi"].get("source") or zones.get("source", "")
        for zone in report["zones"]:
            verdict = {True: judge.MET, False: judge.MISSED, None: None}[zone.get("met")]
            out.append(Measure("saidi", f"高可靠性示范区户均停电时间：{zone['name']}", "hour",
                               None if zone["saidi_hours"] is None else round(zone["saidi_hours"], 3), bound,
                               judge.LOWER_IS_BETTER, source, f"high_reliability_zones.{zone['code']}",
                               zone["customers"], verdict=verdict,
                               note=f"{zone['county_name']}；{scope.period.year}年初至今"))
        if not report["zones"]:
            out.append(Measure("saidi", "高可靠性示范区户均停电时间", "hour", None, bound, judge.LOWER_IS_BETTER, source,
                               "high_reliability_zones", note="尚未登记高可靠性供电示范区（网络导入的示范区行）"))
    return out


def _stage_count(scope: Scope) -> list[Measure]:
    """Stages per case against the promised cap (枣庄: 高压4个、低压2个以内), per category with a cap."""
    rows = {code: {"n": r["n"], "avg": r["stage_avg"], "over": r["stage_over"]} for code, r in rollup(scope)["energised"].items()}
    out = []
    for code, category in scope.policy.get("categories", {}).items():
        cap = category.get("max_stages")
        if not cap:
            continue
        row = rows.get(code, {"n": 0, "avg": None, "over": 0})
        note = f"超过承诺环节数的案例 {row['over']} 件" if row["n"] else ""
        out.append(Measure("stage_count", f"{scope.category_name(code)}：每案平均办电环节数", "stage",
                           _round(row["avg"]), float(cap["value"]), judge.LOWER_IS_BETTER, cap.get("source", ""),
                           code, row["n"], note=note, drill={"category": code}))
    return out


def _report_on_time(scope: Scope) -> list[Measure]:
    from monitoring.oversight_queries import report_on_time  # the receipts of scheduled reports

    return report_on_time(scope)
def _more() -> None:
    """Indicators of service quality live in their own module; they join the registry here."""
    from monitoring.service_indicators import INDICATORS as MORE

    INDICATORS.update(MORE)


_more()
