"""Reads of the task ledger for the pages, the API and the CLI (one query per list, no N+1)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.errors import invalid
from ledger import live, status
from ledger.deadlines import DeadlineKind
from ledger.models import Evidence, Milestone, Rectification, Report, Task
from ledger.units import UNITS, overlap

STATUSES = [s.value for s in status.TaskStatus]


@dataclass
class TaskView:
    task: Task
    standing: status.Standing
    milestones: list[Milestone]

    @property
    def status(self) -> str:
        return self.standing.status.value


def with_related(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("on", "id")),
        Prefetch("rectifications", queryset=Rectification.objects.order_by("due", "id")),
    )


def standing_of(task: Task, today: date) -> status.Standing:
    if task.empty:
        return status.Standing(status.TaskStatus.NOT_STARTED, "种子中该序号为空行")
    return status.standing(
        stored=status.TaskStatus(task.status),
        deadline_kind=DeadlineKind(task.deadline_kind),
        deadline=task.deadline,
        open_milestones=[m.on for m in task.milestones.all() if m.done_at is None],
        open_rectifications_due=[r.due for r in task.rectifications.all() if r.closed_at is None],
        last_check_in=task.last_check_in,
        since=task.loaded_on,
        today=today,
    )


def views(tasks: QuerySet[Task], *, today: date | None = None) -> list[TaskView]:
    today = today or timezone.localdate()
    return [TaskView(t, standing_of(t, today), list(t.milestones.all())) for t in with_related(tasks)]


def filtered(tasks: QuerySet[Task], *, region: str | None = None, status_code: str | None = None,
             unit: str | None = None, today: date | None = None, order: str = "number") -> list[TaskView]:
    if status_code is not None and status_code not in STATUSES:
        raise invalid("status", f"应为 {', '.join(STATUSES)} 之一")
    if unit is not None and unit not in UNITS:
        raise invalid("unit", f"应为 {', '.join(UNITS)} 之一")
    if region is not None:
        tasks = tasks.filter(region=region)
    rows = views(tasks.order_by("region", "number"), today=today)
    if unit is not None:
        # A unit's tasks: those naming it, or naming a unit it is part of ("各供电企业" ⊇ "省电力公司").
        rows = [r for r in rows if any(overlap(unit, u) for u in r.task.units)]
    if status_code is not None:
        rows = [r for r in rows if r.status == status_code]
    if order == "deadline":
        # Dated tasks by date, then those with no end date (ongoing), as a person scans a to-do list.
        rows.sort(key=lambda r: (r.task.deadline is None, r.task.deadline or date.max, r.task.region, r.task.number))
    return rows


def as_json(view: TaskView) -> dict:
    """The contract shape of `getpower ledger list --json` and the API."""
    task = view.task
    return {
        "number": task.number,
        "area": task.area,
        "task": task.text,
        "responsible": task.responsible,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "deadline_kind": task.deadline_kind,
        "milestones": [
            {"date": m.on.isoformat(), "text": m.text, "done": m.done_at is not None} for m in view.milestones
        ],
        "status": view.status,
        "empty": task.empty,
        "indicator": task.indicator,
        "units": task.units,
        "kind": task.kind,
        "region": task.region,
    }


def live_values(task: Task) -> list[dict]:
    """Each indicator target of the task with its live value, or None ('尚无数据')."""
    out = []
    for target in task.indicator or []:
        value = live.value_for(region=task.region, target=target)
        out.append({"target": target, "live": value, "meets": live.meets(target, value)})
    return out


def every_task() -> QuerySet[Task]:
    """Every region's tasks (the operator's console; pages and the API scope them by access)."""
    return Task.objects.all()


def tasks(ids) -> QuerySet[Task]:
    return Task.objects.filter(pk__in=ids)


def evidence(pk) -> Evidence | None:
    """One piece of evidence with its task (the caller checks the task is visible)."""
    return Evidence.objects.select_related("report__task").filter(pk=pk).first()


def accepted_reports(tasks: QuerySet[Task]) -> QuerySet[Report]:
    """The accepted progress reports of `tasks`, oldest first (the export keeps the latest)."""
    return Report.objects.filter(task__in=tasks, review=Report.Review.ACCEPTED).order_by("at")


def regions() -> list[str]:
    return list(Task.objects.order_by("region").values_list("region", flat=True).distinct())


def progress_summary(*, region: str, today: date | None = None) -> dict:
    """The ledger's standing for the quarterly report (季分析): counts per status, and the tasks
    overdue or at risk with their reason. Empty rows are not tasks and are left out."""
    today = today or timezone.localdate()
    rows = [r for r in views(Task.objects.filter(region=region, empty=False).order_by("number"), today=today)]
    counts = {code: 0 for code in STATUSES}
    for row in rows:
        counts[row.status] += 1
    attention = [
        {"number": r.task.number, "task": r.task.text, "responsible": r.task.responsible, "status": r.status,
         "reason": r.standing.reason}
        for r in rows if r.status in ("overdue", "at_risk")
    ]
    return {"region": region, "as_of": today.isoformat(), "tasks": len(rows), "by_status": counts,
            "attention": attention}
