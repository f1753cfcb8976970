"""体外循环 suspects: signs that an application was handled outside the system (work done
before it was registered, or a connection with no application at all).

Each rule is data: a code, its 中文 name, the reason it is suspicious, and the query that
finds the cases in a scope. Adding a rule is adding an entry to `RULES`; the indicator
(`off_system_suspects`) and the suspects page both read this registry."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet

from monitoring.indicators import Scope


@dataclass(frozen=True)
class Rule:
    name: str
    reason: str
    find: Callable[[Scope], QuerySet]


@dataclass(frozen=True)
class Suspect:
    rule: str
    rule_name: str
    reason: str
    county: str
    subject: str  # the application number or the customer's 户号
    day: date | None  # the day the rule looked at (connection, submission)
    detail: str
    application_id: int | None = None


def _applications(scope: Scope) -> QuerySet:
    from applications.models import Application

    qs = Application.objects.filter(region=scope.region, first_submitted_at__date__gte=scope.period.start,
                                    first_submitted_at__date__lt=scope.period.end)
    return qs if scope.county_ids is None else qs.filter(county_id__in=scope.county_ids)


def _customers_without_application(scope: Scope) -> QuerySet:
    from outages.models import Customer

    qs = Customer.objects.filter(application__isnull=True, created_at__date__gte=scope.period.start,
                                 created_at__date__lt=scope.period.end)
    qs = qs.filter(county__policy_region=scope.region) if scope.county_ids is None else qs.filter(
        county_id__in=scope.county_ids)
    return qs.select_related("county").order_by("created_at", "id")


def _submitted_after_works(scope: Scope) -> QuerySet:
    return (_applications(scope).filter(grid_projects__construction_end__lt=F("first_submitted_at__date"))
            .select_related("county").distinct().order_by("first_submitted_at", "id"))


def _evidence_before_submission(scope: Scope) -> QuerySet:
    return (_applications(scope).filter(stages__evidence_date__lt=F("first_submitted_at__date"))
            .select_related("county").distinct().order_by("first_submitted_at", "id"))


RULES: dict[str, Rule] = {
    "customer_without_application": Rule(
        "新接入电网的用户没有报装申请",
        "电网台账中本期新增的用户在系统中找不到对应的用电报装申请，可能在系统外办理后补录。",
        _customers_without_application),
    "submitted_after_works": Rule(
        "配套工程竣工后才提交申请",
        "配套电网工程的竣工日期早于客户首次提交申请的日期，流程疑似后补。",
        _submitted_after_works),
    "evidence_before_submission": Rule(
        "现场记录日期早于申请日期",
        "勘查、检验或装表记录上的日期早于客户首次提交申请的日期，疑似先办后补。",
        _evidence_before_submission),
}


def count(scope: Scope) -> dict[str, int]:
    return {code: rule.find(scope).count() for code, rule in RULES.items()}


def listing(scope: Scope, *, rule: str = "", limit: int = 200) -> list[Suspect]:
    """The suspects of a scope, rule by rule (at most `limit` per rule), for the page."""
    out: list[Suspect] = []
    for code, found in RULES.items():
        if rule and code != rule:
            continue
        for row in found.find(scope)[:limit]:
            out.append(_suspect(code, found, row))
    return out


def _suspect(code: str, rule: Rule, row) -> Suspect:
    from outages.models import Customer

    if isinstance(row, Customer):
        return Suspect(code, rule.name, rule.reason, row.county.name, row.code, row.created_at.date(),
                       f"{row.name}（{row.get_kind_display()}）")
    return Suspect(code, rule.name, rule.reason, row.county.name, row.number, row.first_submitted_at.date(),
                   f"{row.applicant_name} · {row.category_name}", application_id=row.id)
