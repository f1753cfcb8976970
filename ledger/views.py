"""任务台账 pages: a region's ledger (by area or by deadline, filtered by status and unit),
my tasks, one task with its reports, evidence, live indicator values and the actions the
user may take, and the Excel export.

Reads go through ledger.access / ledger.queries; changes through ledger.actions; a refused
action's DomainError is shown next to the field it names."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts import access as accounts_access
from core.errors import DomainError, Forbidden, invalid
from ledger import access, actions, export, queries
from ledger.labels import LABELS
from ledger.models import Rectification, Report, Task
from ledger.units import UNITS
from policies import queries as policy_queries


def _today() -> date:
    return timezone.localdate()


@require_safe
@login_required
def index(request):
    regions = access.regions_of(request.user)
    accounts_access.require(request.user, "ledger.view")
    loaded = queries.regions()
    shown = [r for r in loaded if regions is None or r in regions]
    if len(shown) == 1:
        return redirect("ledger:region", region=shown[0])
    names = policy_queries.region_names()
    return render(request, "ledger/index.html", {"regions": [(r, names.get(r, r)) for r in shown]})


def _filters(request) -> tuple[str | None, str | None, str]:
    status_code = request.GET.get("status") or None
    unit = request.GET.get("unit") or None
    order = "deadline" if request.GET.get("order") == "deadline" else "number"
    return status_code, unit, order


def _summary(rows) -> list[tuple[str, str, int]]:
    counts = {code: 0 for code in queries.STATUSES}
    for row in rows:
        if not row.task.empty:
            counts[row.status] += 1
    return [(code, LABELS["ledger_status"][code], n) for code, n in counts.items()]


@require_safe
@login_required
def region_page(request, region: str):
    tasks = access.visible_tasks(request.user).filter(region=region)
    if not tasks.exists():
        raise Http404
    status_code, unit, order = _filters(request)
    error = None
    try:
        rows = queries.filtered(tasks, status_code=status_code, unit=unit, order=order, today=_today())
    except DomainError as exc:
        error, rows = exc.message, queries.filtered(tasks, today=_today())
    all_rows = queries.views(tasks, today=_today()) if (status_code or unit) else rows
    return render(request, "ledger/region.html", {
        "region": region, "region_name": policy_queries.region_names().get(region, region), "rows": rows, "error": error,
        "summary": _summary(all_rows), "status": status_code, "unit": unit, "order": order,
        "statuses": LABELS["ledger_status"], "units": {code: u.name for code, u in UNITS.items()},
        "section": "deadline" if order == "deadline" else "region",
    })


@require_safe
@login_required
def mine(request):
    tasks = access.my_tasks(request.user)
    rows = queries.views(queries.tasks([t.pk for t in tasks]).order_by("region", "number"), today=_today())
    rows.sort(key=lambda r: (r.status not in ("overdue", "at_risk"), r.task.deadline or date.max, r.task.number))
    return render(request, "ledger/mine.html", {"rows": rows, "names": policy_queries.region_names(), "section": "mine",
                                                "summary": _summary(rows)})


def _task_context(request, task: Task) -> dict:
    view = queries.views(queries.tasks([task.pk]), today=_today())[0]
    reports = list(task.reports.select_related("by", "reviewed_by", "organisation").prefetch_related("evidence"))
    try:
        reporting = access.reporting_org(request.user, task) if not task.empty else None
    except Forbidden:
        reporting = None
    try:
        access.require_reviewer(request.user, task)
        reviewer = True
    except Forbidden:
        reviewer = False
    return {
        "task": task, "view": view, "reports": reports, "reporting_org": reporting, "reviewer": reviewer,
        "can_rectify": accounts_access.can(request.user, "ledger.rectify") and task.kind in ("problem", "rules_cleanup"),
        "live": queries.live_values(task), "rectifications": list(task.rectifications.all()),
        "region_name": policy_queries.region_names().get(task.region, task.region),
        "report_kinds": Report.Kind.choices, "actions": Rectification.Action.choices,
    }


@require_safe
@login_required
def task_page(request, region: str, number: int):
    task = access.task_for(request.user, region=region, number=number)
    return render(request, "ledger/task.html", _task_context(request, task))


def _parse_date(field: str, value: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise invalid(field, "应为日期 YYYY-MM-DD") from None


@require_POST
@login_required
def task_act(request, region: str, number: int, action: str):
    task = access.task_for(request.user, region=region, number=number)
    post, user = request.POST, request.user
    try:
        if action == "report":
            actions.report_submit(task=task, by=user, kind=post.get("kind", ""), text=post.get("text", ""),
                                  files=request.FILES.getlist("files"),
                                  idempotency_key=post.get("idempotency_key", ""))
            messages.success(request, "进展已报送，等待能源主管部门审核。")
        elif action == "review":
            report = task.reports.filter(pk=post.get("report") or 0).first()
            if report is None:
                raise invalid("report", "没有这份报告")
            actions.report_review(report=report, by=user, accept=post.get("decision") == "accept",
                                  note=post.get("note", ""))
            messages.success(request, "审核意见已记录。")
        elif action == "milestone":
            actions.milestone_add(task=task, by=user, on=_parse_date("on", post.get("on")), text=post.get("text", ""))
            messages.success(request, "阶段性目标已添加。")
        elif action == "milestone-done":
            milestone = task.milestones.filter(pk=post.get("milestone") or 0).first()
            if milestone is None:
                raise invalid("milestone", "没有这个阶段性目标")
            actions.milestone_done(milestone=milestone, by=user)
        elif action == "rectification":
            actions.rectification_open(task=task, by=user, action=post.get("action", ""),
                                       subject=post.get("subject", ""), measure=post.get("measure", ""),
                                       due=_parse_date("due", post.get("due")))
            messages.success(request, "整改事项已登记。")
        elif action == "rectification-close":
            item = task.rectifications.filter(pk=post.get("item") or 0).first()
            if item is None:
                raise invalid("item", "没有这个整改事项")
            actions.rectification_close(item=item, by=user, result=post.get("result", ""))
        elif action == "reopen":
            actions.task_reopen(task=task, by=user, reason=post.get("reason", ""))
        else:
            raise Http404
    except Forbidden:
        raise
    except DomainError as exc:
        context = _task_context(request, task)
        context.update(error=exc.message, fields=exc.fields, posted=post, failed=action)
        return render(request, "ledger/task.html", context, status=400)
    return redirect("ledger:task", region=region, number=number)


@require_POST
@login_required
def problem_new(request, region: str):
    post = request.POST
    try:
        task = actions.problem_add(region=region, by=request.user, area=post.get("area", "") or "问题清单",
                                   text=post.get("text", ""), deadline=_parse_date("deadline", post.get("deadline")),
                                   units=post.getlist("units"))
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, exc.for_people)
        return redirect(reverse("ledger:region", kwargs={"region": region}) + "#problem")
    return redirect("ledger:task", region=region, number=task.number)


@require_safe
@login_required
def evidence_file(request, pk: int):
    evidence = queries.evidence(pk)
    if evidence is None:
        raise Http404
    task = evidence.report.task
    access.task_for(request.user, region=task.region, number=task.number)
    return FileResponse(evidence.file.open("rb"), content_type=evidence.content_type,
                        filename=evidence.original_name, as_attachment=False)


@require_safe
@login_required
def export_xlsx(request, region: str):
    tasks = access.visible_tasks(request.user).filter(region=region)
    if not tasks.exists():
        raise Http404
    rows = queries.views(tasks.order_by("number"), today=_today())
    latest = {}
    for report in queries.accepted_reports(tasks):
        latest[report.task_id] = f"{timezone.localtime(report.at):%Y-%m-%d} {report.text}"
    name = policy_queries.region_names().get(region, region)
    data = export.workbook(title=f"{name}“获得电力”工作任务台账（{_today().isoformat()}）", rows=rows, latest=latest)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ledger-{region}-{_today().isoformat()}.xlsx"'
    return response


