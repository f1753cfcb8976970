"""How a file moves from stage to stage: finish one, start the next, refuse what the policy lacks.

Shared by the actions of this package; not part of its public surface."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications import deadlines, hooks, messages, rules
from applications.models import Application, Stage, Status
from core import events, labels
from core.errors import Conflict, PolicyViolation
from workdays.schedule import get_schedule


def finish_stage(*, stage: Stage, by: User, now, result: str, checked_by: User | None = None,
                  evidence_date: date | None = None) -> None:
    held = deadlines.workdays_between(stage.start_date, timezone.localdate(now), schedule=get_schedule())
    stage.state = Stage.State.DONE
    stage.ended_at = now
    stage.completed_by = by
    stage.checked_by = checked_by
    stage.result = result
    stage.evidence_date = evidence_date
    stage.grid_workdays = max(held - stage.paused_workdays, 0)
    if stage.due_date is not None and timezone.localdate(now) > stage.due_date:
        stage.alert = Stage.Alert.OVERDUE
    stage.save()


def start_next(*, application: Application, after: Stage, now) -> Stage | None:
    nxt = application.stages.filter(seq__gt=after.seq).order_by("seq").first()
    if nxt is None:
        application.status = Status.ENERGISED
        application.energised_at = now
        application.closed_at = now
        application.save(update_fields=["status", "energised_at", "closed_at"])
        events.record(actor=None, verb="application.energised", subject=application,
                      data={"number": application.number})
        hooks.energised(application)
        messages.energised(application)
        return None
    start = timezone.localdate(now)
    nxt.counts_from = start if nxt.own_limit else application.stages.get(seq=1).counts_from
    due = deadlines.stage_due(start=nxt.counts_from, limit=nxt.limit, unit=nxt.unit, schedule=get_schedule())
    nxt.state = Stage.State.ACTIVE
    nxt.started_at = now
    nxt.start_date = start
    nxt.base_due, nxt.due_date, nxt.provisional = (due.base_due, due.due_date, due.provisional) if due else (
        None, None, False)
    nxt.assignee = rules.assignee_for(application, nxt.code)
    nxt.save()
    events.record(actor=None, verb="stage.started", subject=application,
                  data={"stage": nxt.code, "due": nxt.due_date, "provisional": nxt.provisional})
    messages.stage_started(nxt)
    return nxt


def require_stage_in_policy(*, application: Application, code: str, by: User) -> None:
    """Checked before the action's transaction so the refusal's event is not rolled back."""
    if not application.stages.filter(code=code).exists():
        raise refuse_not_in_policy(application=application, what="stage", value=code, by=by,
                                    allowed=list(application.stages.values_list("code", flat=True)))


def active_stage(application: Application, code: str) -> Stage:
    return application.stages.select_for_update().get(code=code)


def refuse_not_in_policy(*, application: Application, what: str, value: str, by: User | None = None,
                          allowed=()) -> PolicyViolation:
    """Log the attempt in its own transaction (it must survive the refusal) and build the error."""
    with transaction.atomic():
        events.record(actor=by, verb="policy.refused", subject=application,
                      data={"what": what, "value": value, "category": application.category})
    namespace = {"doc_type": "document", "documents": "document", "stage": "stage"}.get(what, what)
    shown = labels.label(namespace, value)
    hint = f"；政策列出的是：{'、'.join(labels.label(namespace, a) for a in allowed)}" if allowed else "；政策未列出任何项"
    return PolicyViolation(f"“{shown}”不在{application.category_name}的政策清单内，不能要求或受理{hint}",
                           fields={what: f"“{shown}”不在政策清单内"})


def lock_open(application: Application) -> Application:
    """Lock the application row and refuse if it is closed (energised, rejected, withdrawn):
    a closed file takes no more work, documents or money. Call inside the action's transaction."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_open:
        raise Conflict(f"{locked.number} 已{locked.get_status_display()}，不能再办理",
                       fields={"status": locked.status}, code="closed")
    return locked
