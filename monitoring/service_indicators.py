"""Indicators of service beyond time limits: complaints per 10,000 customers, the share of
planned work done live, 三省 coverage of large and medium enterprises and 体外循环 suspects.

They join `INDICATORS` (monitoring.indicators) from here so each stays one small function.
Where a policy states no number the indicator is measured and shown as `n/a`, never judged
against a guess; where a policy states a whole-coverage rule ("全覆盖", "禁止") the target is
that rule: every case, or none."""
from __future__ import annotations

from django.db.models import Count, Q

from monitoring import judge
from monitoring.indicators import Indicator, Measure, Scope

PER = 10_000  # the unit of the rate: complaints per 10,000 customers (件/万户)


def _divisions(scope: Scope, field: str = "county") -> Q:
    """The counties a scope covers, on a model with a county foreign key."""
    if scope.county_ids is not None:
        return Q(**{f"{field}_id__in": scope.county_ids})
    return Q(**{f"{field}__policy_region": scope.region})


def _rule(scope: Scope, word: str) -> dict | None:
    """A policy rule whose key names `word` (e.g. sansheng, no_off_system), or None."""
    return next((rule for key, rule in (scope.policy.get("rules") or {}).items() if word in key), None)


def complaints_per_10k(scope: Scope) -> list[Measure]:
    """Complaints filed in the period per 10,000 customers connected to the network at its end."""
    from complaints.models import Complaint
    from outages.models import Customer

    complaints = Complaint.objects.filter(_divisions(scope), filed_at__date__gte=scope.period.start,
                                          filed_at__date__lt=scope.period.end).count()
    customers = Customer.objects.filter(_divisions(scope), created_at__date__lt=scope.period.end).count()
    value = None if not customers else round(PER * complaints / customers, 2)
    return [Measure("complaints_per_10k", "每万户客户投诉件数", "per_10k", value, None, judge.LOWER_IS_BETTER, "",
                    cases=complaints, note=f"投诉 {complaints} 件，用户 {customers} 户；政策未给出数值目标，仅监测")]


def live_work_share(scope: Scope) -> list[Measure]:
    """Planned work done live (带电作业) among all planned work of the period: the planned
    outages that went ahead plus the works done without an outage (any avoided-outage method)."""
    from outages.models import AvoidedOutage, Kind, Outage

    avoided = AvoidedOutage.objects.filter(_divisions(scope), day__gte=scope.period.start, day__lt=scope.period.end)
    counts = avoided.aggregate(n=Count("pk"), live=Count("pk", filter=Q(method=AvoidedOutage.Method.LIVE_WORKING)))
    # An avoided work may keep the outage it replaced (cancelled): count it once, as avoided.
    planned = Outage.objects.filter(_divisions(scope), kind=Kind.PLANNED, planned_start__date__gte=scope.period.start,
                                    planned_start__date__lt=scope.period.end).exclude(
        status__in=[Outage.Status.CANCELLED, Outage.Status.MERGED, Outage.Status.PROPOSED]).exclude(
        avoided__isnull=False).count()
    total = planned + counts["n"]
    return [Measure("live_work_share", "计划检修工作中带电作业完成的比例", "percent", judge.share(counts["live"], total),
                    None, judge.HIGHER_IS_BETTER, "", cases=total,
                    note=f"带电作业 {counts['live']} 项，计划停电 {planned} 项，其他不停电作业 {counts['n'] - counts['live']} 项；"
                         "政策未给出比例目标，仅监测")]


def sansheng_coverage(scope: Scope) -> list[Measure]:
    """三省 (省力、省时、省钱) among large and medium enterprises energised in the period: a case
    counts when it was filed online (省力: no trip to the hall), its grid-side time stayed within
    its limit (省时) and the customer paid nothing for connection works (省钱)."""
    from monitoring.indicators import _total

    rule = _rule(scope, "sansheng")
    counts = _total(scope, "sansheng_n", "sansheng")
    counts = {"n": counts["sansheng_n"], "covered": counts["sansheng"]}
    return [Measure("sansheng_share", "大中型企业用电报装享受“三省”服务的比例", "percent",
                    judge.share(counts["covered"], counts["n"]), 100.0 if rule else None, judge.HIGHER_IS_BETTER,
                    (rule or {}).get("source", ""), cases=counts["n"],
                    note="三省：线上办理（省力）、电网环节不超时限（省时）、未承担接电工程费用（省钱）"
                         + ("" if rule else "；本地区政策未规定全覆盖，仅监测"),
                    drill={"energised": scope.period.label})]


def off_system_suspects(scope: Scope) -> list[Measure]:
    """体外循环 suspects found by the rules of `monitoring.suspects` in the period."""
    from monitoring import suspects

    rule = _rule(scope, "off_system")
    found = suspects.count(scope)
    return [Measure("off_system_suspects", f"疑似“体外循环”：{suspects.RULES[code].name}", "count", n,
                    0.0 if rule else None, judge.LOWER_IS_BETTER, (rule or {}).get("source", ""), code, n,
                    note=suspects.RULES[code].reason) for code, n in found.items()]


INDICATORS = {
    "complaints_per_10k": Indicator("每万户投诉", "per_10k", judge.LOWER_IS_BETTER, (), complaints_per_10k,
                                    group="服务质量"),
    "live_work_share": Indicator("带电作业比例", "percent", judge.HIGHER_IS_BETTER, (), live_work_share,
                                 group="供电可靠性"),
    "sansheng_share": Indicator("大中型企业“三省”覆盖", "percent", judge.HIGHER_IS_BETTER, (), sansheng_coverage,
                                group="办电成本"),
    "off_system_suspects": Indicator("疑似“体外循环”", "count", judge.LOWER_IS_BETTER, (), off_system_suspects,
                                     group="督办"),
}
