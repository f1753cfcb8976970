"""Stage work: complete (with its two-person check), pause and resume the grid-side clock,
reassign, and recompute due dates when a year's official schedule arrives."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import deadlines, messages, rules
from applications.actions.confirmations import complete_now, confirmation_request, pause_now, require_second_person
from applications.actions.escalations import stage_alert
from applications.actions.lifecycle import application_accept
from applications.actions.progress import (
    active_stage,
    lock_open,
    refuse_not_in_policy,
    require_stage_in_policy,
)
from applications.models import OPEN_STAGE_STATES, Application, Confirmation, Pause, Stage
from core import events
from core.bounds import NOTE_LENGTH, check_text
from core.errors import Conflict, invalid
from workdays.schedule import get_schedule


def stage_complete(*, application: Application, code: str, by: User, result: str = "",
                   checked_by: User | None = None, checker_password: str | None = None,
                   evidence_date: date | None = None, claimed_at=None) -> Stage:
    """Complete the active stage. Where the policy wants two people (or a checker is named),
    the checker signs in this request with their password, or a confirmation is put in their
    queue and the stage completes when they confirm it (the returned stage is then still active)."""
    access.require(by, "stage.complete")
    check_text("result", result, max_length=NOTE_LENGTH)
    if code == "acceptance":
        application_accept(application=application, by=by, result=result)
        return application.stages.get(code=code)
    require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = lock_open(application)
        stage = active_stage(application, code)
        if stage.state == Stage.State.PAUSED:
            raise Conflict(f"{stage.name}已暂停，请先恢复计时", fields={"stage": "paused"})
        if stage.state != Stage.State.ACTIVE:
            raise Conflict(f"{stage.name}当前为“{stage.get_state_display()}”，不在办理中", fields={"stage": stage.state})
        two_person = code in rules.two_person_stages(application.policy_version, application.category)
        if two_person and checked_by is None:
            raise invalid("checked_by", f"{stage.name}须由第二人复核，请选择复核人")
        now = timezone.now()
        if checked_by is not None:
            signed = require_second_person(application=application, user=checked_by, first=by,
                                           kind=Confirmation.Kind.STAGE_CHECK, password=checker_password)
            if not signed:
                confirmation_request(application=application, stage=stage, kind=Confirmation.Kind.STAGE_CHECK,
                                     by=by, confirmer=checked_by,
                                     data={"result": result,
                                           "evidence_date": evidence_date.isoformat() if evidence_date else None})
                return stage
        complete_now(application=application, stage=stage, by=by, checked_by=checked_by, result=result,
                     evidence_date=evidence_date, now=now, actor=by, claimed_at=claimed_at)
    return stage


def stage_pause(*, application: Application, code: str, by: User, reason: str, note: str = "",
                approved_by: User | None = None, approver_password: str | None = None,
                respond_by: date | None = None, documents=()) -> Pause | Confirmation:
    """Stop the grid-side clock for a customer-side reason from the fixed list. `note` says what
    the customer is asked for and `respond_by` by when; both go into the customer's message.
    A reason that needs a supervisor (force majeure) waits for the supervisor's own
    confirmation, unless they sign in this request with their password; the Confirmation is
    returned then."""
    access.require(by, "stage.pause")
    check_text("note", note, max_length=NOTE_LENGTH)
    if respond_by is not None and respond_by < timezone.localdate(timezone.now()):
        raise invalid("respond_by", "不能早于今天")
    documents = list(dict.fromkeys(documents or ()))
    if documents and reason != Pause.Reason.AWAITING_DOCUMENTS:
        raise invalid("documents", "只有“等待客户补充资料”的暂停可以要求补充资料")
    if documents:
        version = application.policy_version or rules.version_in_force(
            application.region, timezone.localdate(application.submitted_at))
        listed = rules.category_documents(version, application.category)
        for doc_type in documents:
            if doc_type not in listed:
                raise refuse_not_in_policy(application=application, what="documents", value=doc_type, by=by,
                                            allowed=listed)
        shared = rules.shared_documents(version) & set(documents)
        if shared:
            names = rules.document_names(version)
            raise invalid("documents", "、".join(names.get(d, d) for d in sorted(shared))
                          + " 已通过数据共享获取，不得再向客户索要（四免）")
    reasons = rules.pause_reasons(application.policy_version) if application.policy_version else {}
    if reason not in Pause.Reason.values or (reasons and reason not in reasons):
        raise invalid("reason", "不是客户原因，不能暂停计时；可选：" + "、".join(
            name for name, _n in reasons.values()) if reasons else "不是客户原因，不能暂停计时")
    needs_approval = reasons.get(reason, ("", reason == Pause.Reason.FORCE_MAJEURE))[1]
    if needs_approval and approved_by is None:
        raise invalid("approved_by", f"{reasons[reason][0] if reason in reasons else '不可抗力'}须经营销主管批准，请选择批准主管")
    require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = lock_open(application)
        stage = active_stage(application, code)
        if stage.state != Stage.State.ACTIVE:
            raise Conflict(f"{stage.name}当前为“{stage.get_state_display()}”，只有办理中的环节可以暂停",
                           fields={"stage": stage.state})
        if needs_approval:
            signed = require_second_person(application=application, user=approved_by, first=by,
                                           kind=Confirmation.Kind.FORCE_MAJEURE, password=approver_password)
            if not signed:
                return confirmation_request(application=application, stage=stage, by=by, confirmer=approved_by,
                                            kind=Confirmation.Kind.FORCE_MAJEURE,
                                            data={"reason": reason, "note": note,
                                                  "respond_by": respond_by.isoformat() if respond_by else None})
        else:
            approved_by = None  # an approval nobody needs is not recorded as one
        return pause_now(application=application, stage=stage, by=by, approved_by=approved_by, reason=reason,
                         note=note, respond_by=respond_by, now=timezone.now(), actor=by,
                         documents=documents)


def stage_resume(*, application: Application, code: str, by: User) -> Stage:
    access.require(by, "stage.resume")
    require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = lock_open(application)
        stage = active_stage(application, code)
        pause = stage.pauses.filter(ended_at__isnull=True).first()
        if stage.state != Stage.State.PAUSED or pause is None:
            raise Conflict(f"{stage.name}没有暂停，无需恢复", fields={"stage": stage.state})
        now = timezone.now()
        pause.ended_at, pause.ended_by = now, by
        schedule = get_schedule()
        pause.workdays = deadlines.workdays_between(timezone.localdate(pause.started_at), timezone.localdate(now),
                                                    schedule=schedule)
        pause.save()
        stage.paused_workdays += pause.workdays
        due = deadlines.stage_due(start=stage.counts_from, limit=stage.limit, unit=stage.unit,
                                  paused_workdays=stage.paused_workdays, schedule=schedule)
        before = stage.due_date
        if due is not None:
            stage.base_due, stage.due_date, stage.provisional = due.base_due, due.due_date, due.provisional
        stage.state = Stage.State.ACTIVE
        stage.alert = stage_alert(stage, timezone.localdate(now), schedule=schedule)
        stage.save()
        events.record(actor=by, verb="stage.resumed", subject=application,
                      data={"stage": code, "paused_workdays": pause.workdays, "due_before": before,
                            "due_after": stage.due_date})
        messages.resumed(pause)
    return stage


def stage_assign(*, application: Application, code: str, by: User, assignee: User) -> Stage:
    access.require(by, "application.reassign")
    require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = lock_open(application)
        stage = active_stage(application, code)
        before = stage.assignee.username if stage.assignee else None
        stage.assignee = assignee
        stage.save(update_fields=["assignee"])
        events.record(actor=by, verb="stage.assigned", subject=application,
                      data={"stage": code, "before": before, "after": assignee.username})
    return stage


def stages_recompute_due(year: int) -> int:
    """A year's official schedule replaced its provisional one: every open stage whose due
    date was computed on a provisional calendar is recomputed; changes are logged."""
    changed = 0
    schedule = get_schedule()
    for stage in Stage.objects.filter(state__in=OPEN_STAGE_STATES, provisional=True).select_related("application"):
        if stage.limit is None or stage.counts_from is None:
            continue
        due = deadlines.stage_due(start=stage.counts_from, limit=stage.limit, unit=stage.unit,
                                  paused_workdays=stage.paused_workdays, schedule=schedule)
        if (due.due_date, due.provisional) == (stage.due_date, stage.provisional):
            continue
        with transaction.atomic():
            before = stage.due_date
            Stage.objects.filter(pk=stage.pk).update(base_due=due.base_due, due_date=due.due_date,
                                                     provisional=due.provisional)
            events.record(actor=None, verb="stage.due_recomputed", subject=stage.application,
                          data={"stage": stage.code, "year": year, "due_before": before, "due_after": due.due_date,
                                "provisional": due.provisional})
        changed += 1
    return changed
