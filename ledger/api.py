"""/api/v1/ledger: a region's tasks (the CLI's contract shape), one task with its reports and
live indicator values, reporting progress (idempotent) and the bureau's review."""
from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accounts.auth import API_AUTH
from core.errors import NotFound
from ledger import access, actions, queries
from ledger.models import Task

router = Router(tags=["ledger"], auth=API_AUTH)


class TaskFilter(Schema):
    status: str | None = Field(None, description="not_started | in_progress | done | at_risk | overdue")
    unit: str | None = Field(None, description="a ledger unit code, e.g. utility, energy_bureau_city")
    order: str = Field("number", description="number | deadline")


class ReportIn(Schema):
    kind: str = Field(description="progress | check_in | completion")
    text: str = Field(max_length=4000)


class ReviewIn(Schema):
    accept: bool
    note: str = Field("", max_length=500)


class ReportOut(Schema):
    id: int
    kind: str
    text: str
    organisation: str
    by: str
    at: datetime
    review: str
    review_note: str
    evidence: list[dict]


def _report(report) -> dict:
    return {
        "id": report.pk, "kind": report.kind, "text": report.text, "organisation": report.organisation.name,
        "by": str(report.by), "at": report.at, "review": report.review, "review_note": report.review_note,
        "evidence": [{"name": e.original_name, "sha256": e.sha256, "size": e.size} for e in report.evidence.all()],
    }


@router.get("/{region}/tasks", summary="A region's task ledger, as `getpower ledger list --json`")
def list_tasks(request: HttpRequest, region: str, filters: Query[TaskFilter]):
    tasks = access.visible_tasks(request.auth).filter(region=region)
    rows = queries.filtered(tasks, status_code=filters.status, unit=filters.unit, order=filters.order)
    return [queries.as_json(r) for r in rows]


def _detail(task: Task) -> dict:
    view = queries.views(queries.tasks([task.pk]))[0]
    live = [
        {"target": item["target"], "meets": item["meets"],
         "live": None if item["live"] is None else {
             "value": item["live"].value, "unit": item["live"].unit, "period": item["live"].period,
             "as_of": item["live"].as_of.isoformat(), "sample": item["live"].sample}}
        for item in queries.live_values(task)
    ]
    reports = task.reports.select_related("organisation", "by").prefetch_related("evidence")
    return {**queries.as_json(view), "status_reason": view.standing.reason, "live": live,
            "reports": [_report(r) for r in reports]}


@router.get("/{region}/tasks/{number}", summary="One task with its reports and live indicator values")
def task_detail(request: HttpRequest, region: str, number: int):
    return _detail(access.task_for(request.auth, region=region, number=number))


@router.post("/{region}/tasks/{number}/reports", response={201: ReportOut},
             summary="Report progress, a check-in or ask for acceptance (Idempotency-Key header honoured)")
def report_create(request: HttpRequest, region: str, number: int, payload: ReportIn):
    task = access.task_for(request.auth, region=region, number=number)
    key = request.headers.get("Idempotency-Key", "")
    report = actions.report_submit(task=task, by=request.auth, kind=payload.kind, text=payload.text,
                                   idempotency_key=key)
    return Status(201, _report(report))


@router.post("/{region}/tasks/{number}/reports/{report_id}/review", response=ReportOut,
             summary="The energy bureau accepts or returns a report")
def report_review(request: HttpRequest, region: str, number: int, report_id: int, payload: ReviewIn):
    task = access.task_for(request.auth, region=region, number=number)
    report = task.reports.filter(pk=report_id).first()
    if report is None:
        raise NotFound(f"找不到报告 {report_id}", fields={"report_id": "找不到该报告"})
    return _report(actions.report_review(report=report, by=request.auth, accept=payload.accept, note=payload.note))
