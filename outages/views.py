"""Pages: the outage list and detail for grid staff, the reliability page with charts, the
public planned-outage list by area, and the portal's "my outages"."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts import access
from accounts import queries as account_queries
from core.errors import DomainError, NotFound
from outages import queries
from outages.labels import LABELS
from outages.models import Area, AvoidedOutage, Cause, Kind, Outage, Referral
from outages.verbs import MESSAGE_KINDS

REGION_NAMES = {"shaanxi": "陕西", "zhejiang": "浙江", "zaozhuang": "枣庄"}
CITY_GROUPS = LABELS["city_group"]


def _labels():
    return {"areas": dict(Area.choices), "causes": dict(Cause.choices), "kinds": dict(Kind.choices),
            "statuses": dict(Outage.Status.choices)}


def _staff(user) -> bool:
    return access.can(user, "outage.view")


@login_required
@require_safe
def outage_list(request):
    if not _staff(request.user):
        raise Http404
    outages = queries.visible_outages(request.user).annotate(n_notices=Count("notices"))[:200]
    lists = {"repeated": queries.repeated_faults(n=2, days=60), "overloaded": queries.overloaded(),
             "low_voltage": queries.low_voltage()}
    return render(request, "outages/list.html", {"outages": outages, "lists": lists, **_labels()})


@login_required
@require_safe
def outage_detail(request, outage_id: int):
    if not _staff(request.user):
        raise Http404
    try:
        outage = queries.outage_for(request.user, outage_id, related=("county", "approved_by"))
    except NotFound:
        raise Http404 from None
    assessment = queries.assess(outage) if outage.kind == Kind.PLANNED and outage.planned_end else None
    return render(request, "outages/detail.html", {
        "outage": outage, "assessment": assessment,
        "scopes": outage.scopes.select_related("feeder", "transformer", "customer"),
        "notices": [{"label": MESSAGE_KINDS.get(row["kind"], row["kind"]), "n": row["n"]}
                    for row in queries.notice_counts(outage)],
        "repair": queries.repair_of(outage), **_labels()})


@login_required
@require_safe
def reliability_page(request):
    if not _staff(request.user):
        raise Http404
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else timezone.localdate().year
    region = request.GET.get("region") or None
    error = None
    try:
        report = queries.reliability_report(year=year, region=region)
    except DomainError as exc:
        report, error = None, exc.message
    chart = None
    if report:
        for t in report["targets"]:
            t["label"] = (f"{REGION_NAMES.get(t['region'], t['region'])} · {CITY_GROUPS.get(t['city_group'], t['city_group'])}"
                          f" · {dict(Area.choices).get(t['area'], '全部区域')}")
        for method, v in report["avoided"].items():
            v["label"] = dict(AvoidedOutage.Method.choices)[method]
        chart = {
            "months": list(report["by_month"]),
            "saidi": [m["saidi_hours"] for m in report["by_month"].values()],
            "planned": [m["planned_saidi_hours"] for m in report["by_month"].values()],
            "fault": [m["fault_saidi_hours"] for m in report["by_month"].values()],
            "targets": [{"label": t["label"], "saidi": t["saidi_hours"], "target": t["target_hours"], "met": t["met"]}
                        for t in report["targets"]],
        }
    kinds, statuses = dict(Referral.Kind.choices), dict(Referral.Status.choices)
    referrals = [{"kind": kinds[k], "statuses": [{"label": statuses[s], "n": n} for s, n in v.items()]}
                 for k, v in (report or {}).get("referrals", {}).items()]
    return render(request, "outages/reliability.html", {
        "report": report, "chart": chart, "referrals": referrals, "year": year, "region": region, "error": error,
        "regions": REGION_NAMES, **_labels()})


@require_safe
def public_planned(request):
    """停电信息公告: readable without login, by county."""
    county = request.GET.get("county") or None
    outages = list(queries.public_planned(county_code=county)[:500])
    counties = queries.public_counties()
    return render(request, "outages/public.html", {"outages": outages, "counties": counties, "county": county,
                                                   **_labels()})


@login_required
@require_safe
def my_outages(request):
    outages = queries.my_outages(request.user).select_related("county")[:100]
    return render(request, "outages/mine.html", {"outages": outages, **_labels()})


ACT_LABELS = {"approve": "批准并通知", "start": "开始停电", "progress": "更新抢修进度", "restore": "全部恢复送电",
              "cancel": "取消计划"}


def _when(text: str):
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(text or "")
    if moment is None:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@login_required
@require_POST
def outage_act(request, outage_id: int, verb: str):
    """The buttons on an outage's page: each is one action; errors come back as a message."""
    from outages import actions

    try:
        outage = queries.outage_for(request.user, outage_id)
    except NotFound:
        raise Http404 from None
    by, post = request.user, request.POST
    try:
        if verb == "approve":
            actions.outage_approve(outage=outage, by=by, urgent_reason=post.get("urgent_reason", ""))
        elif verb == "start":
            actions.outage_start(outage=outage, by=by)
        elif verb == "progress":
            actions.outage_progress(outage=outage, by=by, progress=post.get("progress", ""),
                                    estimated_restoration=_when(post.get("estimated_restoration", "")))
        elif verb == "restore":
            actions.outage_restore(outage=outage, by=by)
        elif verb == "cancel":
            actions.outage_cancel(outage=outage, by=by, reason=post.get("reason", ""))
        else:
            raise Http404
        messages.success(request, f"已{ACT_LABELS[verb]}")
    except DomainError as exc:
        messages.error(request, _chinese(exc))
    return redirect("outages:detail", outage_id=outage.pk)


def _chinese(exc: DomainError) -> str:
    names = {"urgent_reason": "紧急原因", "planned_start": "计划开始时间", "lawful_basis": "有序用电方案",
             "progress": "抢修进度", "estimated_restoration": "预计恢复时间", "reason": "原因", "status": "状态",
             "scopes": "停电范围", "county": "区县", "cause": "原因类别", "title": "名称"}
    if exc.fields:
        return "；".join(f"{names.get(k.split('.')[0], k)}：{v}" for k, v in exc.fields.items())
    return exc.message


@login_required
def fault_new(request):
    """Report a fault by hand (OMS/SCADA use the API)."""
    from outages import actions

    if not access.can(request.user, "outage.operate"):
        raise Http404
    counties = account_queries.counties_for(request.user)
    error = None
    if request.method == "POST":
        post = request.POST
        county = counties.filter(code=post.get("county", "")).first()
        try:
            if county is None:
                from core.errors import invalid

                raise invalid("county", "请选择辖区内的区县")
            outage, _ = actions.fault_report(
                by=request.user, county=county, cause=post.get("cause", ""),
                scopes=[(post.get("scope_type", ""), post.get("scope_code", "").strip())],
                title=post.get("title", ""), lawful_basis=post.get("lawful_basis", ""))
            return redirect("outages:detail", outage_id=outage.pk)
        except DomainError as exc:
            error = _chinese(exc)
    return render(request, "outages/fault_new.html", {"counties": counties, "error": error, "post": request.POST,
                                                      **_labels()})
