"""Every change to the task ledger: keyword-only, atomic, each writes its event."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import events, outbox
from core.bounds import stripped_text
from core.errors import Conflict, invalid
from ledger import access, catalogue
from ledger import deadlines as seed_deadlines
from ledger.models import DeadlineKind, Evidence, Milestone, Rectification, Report, Task, TaskKind, TaskStatus
from ledger.units import UNITS

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
EVIDENCE_TYPES = {"application/pdf": b"%PDF", "image/jpeg": b"\xff\xd8", "image/png": b"\x89PNG"}


# ---------------------------------------------------------------- loading the seeds' tables

@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, list[int]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)


def _row_fields(row: catalogue.Row) -> dict:
    if row.empty:
        kind, on, milestones = DeadlineKind.ONGOING, None, ()
    else:
        read = seed_deadlines.read(deadline_text=row.deadline, task_text=row.task)
        kind, on, milestones = read.kind.value, read.on, read.milestones
    values = {
        "area": row.area, "text": row.task, "responsible": row.responsible, "units": row.units, "lead": row.lead,
        "deadline_text": row.deadline, "deadline_kind": kind, "deadline": on, "empty": row.empty,
        "kind": row.kind, "note": row.note or "",
        "indicator": [t.model_dump(exclude_none=True) for t in row.indicator] if row.indicator else None,
    }
    digest = hashlib.sha256(json.dumps(values, default=str, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return {**values, "source_sha256": digest, "_milestones": milestones}


def ledger_load(*, directory: Path | None = None, by: User | None = None) -> LoadResult:
    """Import every ledger file; idempotent. A task already loaded keeps its status and
    reports; if its seed row was corrected in the file, the new text is stored and logged."""
    files = catalogue.read_all(directory or catalogue.DATA_DIR)
    result = LoadResult()
    today = timezone.localdate()
    with transaction.atomic():
        for region, ledger in files.items():
            existing = {t.number: t for t in Task.objects.filter(region=region, from_seed=True)}
            created, changed = 0, []
            for row in ledger.tasks:
                values = _row_fields(row)
                milestones = values.pop("_milestones")
                task = existing.get(row.number)
                if task is None:
                    status = (TaskStatus.DONE if values["deadline_kind"] == DeadlineKind.DONE_ONGOING
                              else TaskStatus.NOT_STARTED)
                    task = Task.objects.create(region=region, number=row.number, from_seed=True, status=status,
                                               loaded_on=today, **values)
                    Milestone.objects.bulk_create([
                        Milestone(task=task, on=m.on, text=m.text, from_seed=True) for m in milestones
                    ])
                    created += 1
                elif task.source_sha256 != values["source_sha256"]:
                    before = {k: getattr(task, k) for k in ("text", "deadline_text", "area", "responsible")}
                    Task.objects.filter(pk=task.pk).update(**values)
                    events.record(actor=by, verb="ledger.task_changed", subject=task,
                                  data={"region": region, "number": row.number, "before": before})
                    changed.append(row.number)
            result.created[region] = created
            result.changed[region] = changed
            result.unchanged[region] = len(ledger.tasks) - created - len(changed)
            if created or changed:
                events.record(actor=by, verb="ledger.loaded", subject_type="ledger.region", subject_id=region,
                              data={"seed": ledger.seed, "created": created, "changed": changed,
                                    "rows": len(ledger.tasks)})
    return result


# ---------------------------------------------------------------- progress and review

def _evidence_checked(files) -> list:
    files = list(files or [])
    if len(files) > MAX_EVIDENCE_FILES:
        raise invalid("files", f"最多 {MAX_EVIDENCE_FILES} 个附件")
    for upload in files:
        if upload.size > MAX_EVIDENCE_BYTES:
            raise invalid("files", f"{upload.name}: 超过 {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB")
        head = upload.read(8)
        upload.seek(0)
        declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
        magic = EVIDENCE_TYPES.get(declared)
        if magic is None or not head.startswith(magic):
            raise invalid("files", f"{upload.name}: 只接受内容与类型相符的 PDF、JPEG 或 PNG 文件")
    return files


def report_submit(*, task: Task, by: User, kind: str, text: str, files=(), idempotency_key: str = "") -> Report:
    """The responsible unit reports progress, a periodic check-in, or asks for acceptance."""
    org = access.reporting_org(by, task)
    if kind not in Report.Kind.values:
        raise invalid("kind", f"应为 {', '.join(Report.Kind.values)} 之一")
    if task.empty:
        raise Conflict("种子中该序号为空行，没有可报送的任务", fields={"number": "种子中该序号为空行"})
    text = stripped_text("text", text, max_length=4000)
    key = stripped_text("idempotency_key", idempotency_key, max_length=64, required=False)
    if key:
        replay = Report.objects.filter(by=by, idempotency_key=key).first()
        if replay is not None:
            if replay.task_id != task.pk or replay.text != text or replay.kind != kind:
                raise Conflict("该幂等键已用于另一份报告", fields={"idempotency_key": "已用于另一份报告"})
            return replay
    if kind == Report.Kind.COMPLETION and task.status == TaskStatus.DONE:
        raise Conflict("任务已验收完成", fields={"kind": "任务已验收完成"})
    files = _evidence_checked(files)
    now = timezone.now()
    try:
        with transaction.atomic():
            report = Report.objects.create(task=task, kind=kind, text=text, by=by, organisation=org, at=now,
                                           idempotency_key=key)
            for upload in files:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                Evidence.objects.create(report=report, file=upload, original_name=upload.name[:255],
                                        content_type=upload.content_type.split(";")[0], size=upload.size,
                                        sha256=digest.hexdigest())
            updates = {}
            if task.status == TaskStatus.NOT_STARTED:
                updates.update(status=TaskStatus.IN_PROGRESS, status_changed_at=now)
            if kind == Report.Kind.CHECK_IN:
                updates["last_check_in"] = timezone.localdate(now)
            if updates:
                Task.objects.filter(pk=task.pk).update(**updates)
                for name, value in updates.items():
                    setattr(task, name, value)
            events.record(actor=by, verb="ledger.report_submitted", subject=task,
                          data={"report": report.pk, "kind": kind, "organisation": org.code,
                                "evidence": [e.sha256 for e in report.evidence.all()]})
    except IntegrityError:
        replay = Report.objects.filter(by=by, idempotency_key=key).first() if key else None
        if replay is None:
            raise
        return replay
    return report


def report_review(*, report: Report, by: User, accept: bool, note: str = "") -> Report:
    """The energy bureau accepts or returns a report; accepting a completion request closes the task."""
    task = report.task
    access.require_reviewer(by, task)
    note = stripped_text("note", note, max_length=500, required=not accept)
    if report.review != Report.Review.PENDING:
        raise Conflict("该报告已审核", fields={"report": report.review})
    if report.by_id == by.pk:
        raise Conflict("不能审核自己报送的报告", fields={"report": "不能审核自己报送的报告"})
    closes = accept and report.kind == Report.Kind.COMPLETION
    open_items = task.rectifications.filter(closed_at__isnull=True).count() if closes else 0
    if open_items:
        raise Conflict(f"还有 {open_items} 项整改事项未完成，不能验收", fields={"rectifications": str(open_items)})
    now = timezone.now()
    with transaction.atomic():
        report.review = Report.Review.ACCEPTED if accept else Report.Review.RETURNED
        report.reviewed_by, report.reviewed_at, report.review_note = by, now, note
        report.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
        events.record(actor=by, verb="ledger.report_accepted" if accept else "ledger.report_returned",
                      subject=task, data={"report": report.pk, "note": note})
        verdict = "已认可" if accept else f"被退回：{note}"
        outbox.enqueue(kind="ledger_report_reviewed", user=report.by, subject=task,
                       key=f"ledger:report:{report.pk}:reviewed",
                       link=reverse("ledger:task", kwargs={"region": task.region, "number": task.number}),
                       text=f"您报送的台账第 {task.number} 项{report.get_kind_display()}{verdict}（{by}）。")
        if closes:
            Task.objects.filter(pk=task.pk).update(status=TaskStatus.DONE, status_changed_at=now)
            task.status = TaskStatus.DONE
            events.record(actor=by, verb="ledger.task_done", subject=task, data={"report": report.pk})
    return report


def task_reopen(*, task: Task, by: User, reason: str) -> Task:
    """The bureau reopens a task it had accepted (e.g. the result did not hold)."""
    access.require_reviewer(by, task)
    reason = stripped_text("reason", reason, max_length=500)
    if task.status != TaskStatus.DONE:
        raise Conflict("只有已完成的任务可以重新打开", fields={"status": task.status})
    with transaction.atomic():
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS, status_changed_at=timezone.now())
        task.status = TaskStatus.IN_PROGRESS
        events.record(actor=by, verb="ledger.task_reopened", subject=task, data={"reason": reason})
    return task


# ---------------------------------------------------------------- milestones

def milestone_add(*, task: Task, by: User, on: date, text: str) -> Milestone:
    """An interim (e.g. yearly) target set by the responsible unit (陕西 注2)."""
    access.reporting_org(by, task)
    text = stripped_text("text", text, max_length=200)
    if not isinstance(on, date):
        raise invalid("on", "应为日期 YYYY-MM-DD")
    if task.deadline is not None and on > task.deadline:
        raise invalid("on", f"阶段性目标不能晚于完成时间 {task.deadline.isoformat()}")
    with transaction.atomic():
        milestone, created = Milestone.objects.get_or_create(task=task, on=on, text=text,
                                                             defaults={"added_by": by})
        if created:
            events.record(actor=by, verb="ledger.milestone_added", subject=task,
                          data={"on": on, "text": text})
    return milestone


def milestone_done(*, milestone: Milestone, by: User) -> Milestone:
    access.require_reviewer(by, milestone.task)
    if milestone.done_at is not None:
        return milestone
    with transaction.atomic():
        milestone.done_at = timezone.now()
        milestone.save(update_fields=["done_at"])
        events.record(actor=by, verb="ledger.milestone_done", subject=milestone.task,
                      data={"on": milestone.on, "text": milestone.text})
    return milestone


# ---------------------------------------------------------------- problem lists and rectification

def problem_add(*, region: str, by: User, area: str, text: str, deadline: date, units: list[str]) -> Task:
    """A problem-list item (问题清单) becomes a task after the seed's rows, with its own deadline."""
    from accounts import access as accounts_access

    accounts_access.require(by, "ledger.rectify")
    regions = access.regions_of(by)
    if regions is not None and region not in regions:
        raise invalid("region", "不在你的管辖地区")
    if not Task.objects.filter(region=region, from_seed=True).exists():
        raise invalid("region", f"地区 {region} 尚未导入任务台账")
    area = stripped_text("area", area, max_length=64)
    text = stripped_text("text", text, max_length=2000)
    if not isinstance(deadline, date):
        raise invalid("deadline", "应为日期 YYYY-MM-DD")
    if not units or any(u not in UNITS for u in units):
        raise invalid("units", f"至少选择一个责任单位：{', '.join(UNITS)}")
    with transaction.atomic():
        last = Task.objects.select_for_update().filter(region=region).order_by("-number").first()
        task = Task.objects.create(
            region=region, number=last.number + 1, from_seed=False, kind=TaskKind.PROBLEM, area=area, text=text,
            responsible="、".join(UNITS[u].name for u in units), units=list(dict.fromkeys(units)),
            deadline_text=deadline.isoformat(), deadline_kind=DeadlineKind.DATE, deadline=deadline,
            loaded_on=timezone.localdate(),
        )
        events.record(actor=by, verb="ledger.problem_added", subject=task,
                      data={"region": region, "number": task.number, "deadline": deadline})
    return task


def rectification_open(*, task: Task, by: User, action: str, subject: str, measure: str, due: date) -> Rectification:
    from accounts import access as accounts_access

    accounts_access.require(by, "ledger.rectify")
    if task.kind not in (TaskKind.PROBLEM, TaskKind.RULES_CLEANUP):
        raise Conflict("只有问题清单和制度立改废任务有整改事项", fields={"task": task.kind})
    if action not in Rectification.Action.values:
        raise invalid("action", f"应为 {', '.join(Rectification.Action.values)} 之一")
    subject = stripped_text("subject", subject, max_length=200)
    measure = stripped_text("measure", measure, max_length=1000, required=False)
    if not isinstance(due, date):
        raise invalid("due", "应为日期 YYYY-MM-DD")
    with transaction.atomic():
        item = Rectification.objects.create(task=task, action=action, subject=subject, measure=measure, due=due,
                                            opened_by=by, opened_at=timezone.now())
        if task.status == TaskStatus.DONE:
            Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS, status_changed_at=timezone.now())
            task.status = TaskStatus.IN_PROGRESS
        events.record(actor=by, verb="ledger.rectification_opened", subject=task,
                      data={"item": item.pk, "action": action, "subject": subject, "due": due})
    return item


def rectification_close(*, item: Rectification, by: User, result: str) -> Rectification:
    access.reporting_org(by, item.task)
    result = stripped_text("result", result, max_length=1000)
    if item.closed_at is not None:
        raise Conflict("整改事项已完成", fields={"item": "closed"})
    with transaction.atomic():
        item.closed_by, item.closed_at, item.result = by, timezone.now(), result
        item.save(update_fields=["closed_by", "closed_at", "result"])
        events.record(actor=by, verb="ledger.rectification_closed", subject=item.task,
                      data={"item": item.pk, "result": result})
    return item




# ---------------------------------------------------------------- reminders

REMIND_ROLES = ("supervisor", "gov_officer", "regulator")


def ledger_remind(*, today: date | None = None) -> int:
    """Tell the responsible units of every task that is overdue, at risk or due a check-in.
    One message per task, recipient and reason-day (idempotent keys), so running the sweep
    again the same day sends nothing new."""
    from accounts.models import Membership
    from core.models import OutboxMessage
    from ledger import queries

    today = today or timezone.localdate()
    members = list(Membership.objects.filter(role__in=REMIND_ROLES, organisation__isnull=False)
                   .select_related("user", "organisation__division"))
    due = []
    for row in queries.views(Task.objects.filter(empty=False), today=today):
        if row.status not in ("overdue", "at_risk"):
            continue
        task = row.task
        for member in members:
            org = member.organisation
            if org.division.policy_region == task.region and access.answers_for(org, task):
                due.append((row, member, f"ledger:{task.pk}:{row.status}:{today.isoformat()}:{member.user_id}"))
    already = set(OutboxMessage.objects.filter(key__in=[key for _, _, key in due]).values_list("key", flat=True))
    sent = 0
    with transaction.atomic():
        for row, member, key in due:
            if key in already:
                continue
            task = row.task
            message = outbox.enqueue(
                kind="ledger_attention", user=member.user, subject=task, key=key,
                link=reverse("ledger:task", kwargs={"region": task.region, "number": task.number}),
                text=f"台账第 {task.number} 项{'已逾期' if row.status == 'overdue' else '有风险'}：{row.standing.reason}")
            sent += message is not None
    return sent
