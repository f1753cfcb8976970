"""Pages: the indicator dashboard (target vs actual, trend chart, county ranking) and the
drill-down from a number to the applications behind it, within the user's jurisdiction."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts import access
from core.errors import DomainError
from monitoring import narrative, periods, queries
from monitoring.actions import report_generate
from monitoring.indicators import UNIT_NAMES
from policies import queries as policy_queries

STATUS_NAMES = narrative.STATUS_NAMES
STATUS_CSS = {"met": "good", "at_risk": "warn", "missed": "bad", "n/a": "muted"}
DIRECTION_NAMES = {"<=": "不高于", ">=": "不低于"}


def error_text(exc: DomainError) -> str:
    """What a monitoring page says of a refusal: the field messages (in Chinese), else the message."""
    return "；".join(exc.fields.values()) or exc.message


def _allowed(user) -> None:
    if not access.can(user, "indicators.view"):
        raise PermissionDenied("只有营销主管、能源主管部门、能源监管机构和管理员可查看指标")


def _choices(request) -> dict:
    names = queries.region_names()
    region = request.GET.get("region") or next(iter(names), "")
    default_period = periods.containing(timezone.localdate(), "month").label
    return {"regions": names, "region": region, "period": request.GET.get("period") or default_period,
            "county": request.GET.get("county") or "", "sort": request.GET.get("sort") or "within_share"}


@login_required
@require_safe
def dashboard(request):
    _allowed(request.user)
    context = _choices(request)
    groups: dict[str, list[dict]] = {}
    try:
        period = queries.period_from(context["period"])
        scope = queries.scope_for(region=context["region"], period=period, county=context["county"] or None,
                                  user=request.user)
        from monitoring.actions import facts_refresh

        facts_refresh()
        for measure in queries.measures(scope):
            row = measure.as_dict()
            row.update(status_name=STATUS_NAMES[row["status"]], status_css=STATUS_CSS[row["status"]],
                       unit_name=UNIT_NAMES.get(row["unit"], row["unit"]),
                       direction_name=DIRECTION_NAMES[row["direction"]], drill=measure.drill)
            groups.setdefault(measure.group, []).append(row)
        context.update(period_name=period.chinese, groups=groups, trend=queries.monthly_trend(scope),
                       ranking=queries.county_ranking(scope, sort=context["sort"]),
                       ranking_columns=queries.RANKING_COLUMNS,
                       # 依据 names the document as the policy pages do; the API keeps the raw source.
                       names=policy_queries.source_names(),
                       counts={s: sum(r["status"] == s for rows in groups.values() for r in rows) for s in STATUS_NAMES},
                       status_names=STATUS_NAMES)
    except DomainError as exc:
        context["error"] = error_text(exc)
    return render(request, "monitoring/dashboard.html", context)


@login_required
@require_safe
def cases(request):
    _allowed(request.user)
    context = _choices(request)
    try:
        facts = queries.facts_behind(user=request.user, region=context["region"], period=context["period"],
                                     category=request.GET.get("category", ""), stage=request.GET.get("stage", ""),
                                     late=request.GET.get("late", ""), county=context["county"] or None)
        page = Paginator(facts, 50).get_page(request.GET.get("page"))
        context.update(page=page, period_name=queries.period_from(context["period"]).chinese)
    except DomainError as exc:
        context["error"] = error_text(exc)
    return render(request, "monitoring/cases.html", context)


@login_required
def reports(request):
    """Generated reports, newest first; the energy bureau, the regulator and admins may make one now."""
    _allowed(request.user)
    context = _choices(request)
    if request.method == "POST":
        if not access.can(request.user, "reports.generate"):
            raise PermissionDenied("只有能源主管部门、能源监管机构和管理员可以生成报告")
        kind, period = request.POST.get("kind", ""), request.POST.get("period", "").strip()
        fmt = "xlsx" if kind == "monthly" else request.POST.get("format", "pdf")
        try:
            report_generate(kind=kind, period=period, fmt=fmt, region=request.POST.get("region") or None,
                            by=request.user)
            return redirect("monitoring:reports")
        except DomainError as exc:
            context["error"] = error_text(exc)
    context["reports"] = Paginator(queries.reports(), 30).get_page(request.GET.get("page"))
    context["may_generate"] = access.can(request.user, "reports.generate")
    return render(request, "monitoring/reports.html", context)


@login_required
@require_safe
def report_file(request, pk: int):
    _allowed(request.user)
    report = queries.reports().filter(pk=pk).first()
    if report is None:
        raise Http404
    answer = FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1])
    answer["Cache-Control"] = "no-store, private"
    return answer


# ---------------------------------------------------------------- the overview the regulator lands on

@login_required
@require_safe
def overview(request):
    """Where the regulator and the energy bureau land: per county, what is in hand, what is late,
    the on-time rate this year and complaints, each number leading to the cases behind it."""
    _allowed(request.user)
    from applications.views import is_workbench_user
    from monitoring.actions import facts_refresh

    facts_refresh()
    today = timezone.localdate()
    return render(request, "monitoring/overview.html", {
        "regions": queries.overview(user=request.user, today=today), "today": today,
        "workbench": is_workbench_user(request.user),
        "complaints": access.can(request.user, "complaint.view"),
    })


@login_required
@require_safe
def suspects(request):
    """疑似体外循环: the cases each rule finds in the period, within the user's jurisdiction."""
    _allowed(request.user)
    context = _choices(request)
    try:
        period = queries.period_from(context["period"])
        scope = queries.scope_for(region=context["region"], period=period, county=context["county"] or None,
                                  user=request.user)
        context.update(period_name=period.chinese, rules=queries.suspect_rules(),
                       suspects=queries.suspects_in(scope, rule=request.GET.get("rule", "")))
    except DomainError as exc:
        context["error"] = error_text(exc)
    return render(request, "monitoring/suspects.html", context)
