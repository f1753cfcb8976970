"""Stage work: complete (with its two-person check), pause and resume the grid-side clock,
reassign, and recompute due dates when a year's official schedule arrives."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import deadlines, rules
from applications.actions.escalations import stage_alert
from applications.actions.lifecycle import application_accept
from applications.actions.progress import (active_stage, finish_stage, refuse_not_in_policy, require_stage_in_policy,
                                           start_next)
from applications.models import OPEN_STAGE_STATES, Application, Pause, Stage
from core import events
from core.errors import Conflict, invalid


def stage_complete(*, application: Application, code: str, by: User, result: str = "",
                   checked_by: User | None = None, evidence_date: date | None = None,
                   claimed_at=None) -> Stage:
    access.require(by, "stage.complete")
    if code == "acceptance":
        application_accept(application=application, by=by, result=result)
        return application.stages.get(code=code)
    require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        stage = active_stage(application, code)
        if stage.state == Stage.State.PAUSED:
            raise Conflict(f"{stage.name}已暂停，请先恢复计时", fields={"stage": "paused"})
        if stage.state != Stage.State.ACTIVE:
            raise Conflict(f"{stage.name}当前为“{stage.get_state_display()}”，不在办理中", fields={"stage": stage.state})
        if code in rules.two_person_stages(application.policy_version, application.category):
            if checked_by is None:
                raise invalid("checked_by", f"{stage.name}须由第二人复核，请选择复核人")
            if checked_by.pk == by.pk:
                raise invalid("checked_by", "复核人不能是办理人本人")
        now = timezone.now()
        finish_stage(stage=stage, by=by, now=now, result=result, checked_by=checked_by,
                      evidence_date=evidence_date)
        events.record(actor=by, verb="stage.completed", subject=application, claimed_at=claimed_at,
                      data={"stage": code, "result": result, "grid_workdays": stage.grid_workdays,
                            "due": stage.due_date, "evidence_date": evidence_date,
                            "checked_by": checked_by.username if checked_by else None})
        start_next(application=application, after=stage, now=now)
    return stage


def stage_pause(*, application: Application, code: str, by: User, reason: str, note: str = "",
                approved_by: User | None = None, documents=()) -> Pause:
    """Stop the grid-side clock for a customer-side reason from the fixed list. Waiting for
    documents names which ones (only those the policy lists for the category; none that
    data sharing already provides), so the applicant sees exactly what is asked."""
    access.require(by, "stage.pause")
    documents = list(dict.fromkeys(documents or ()))
    if documents and reason != Pause.Reason.AWAITING_DOCUMENTS:
        raise invalid("documents", "只有“等待客户补充资料”的暂停可以要求补充资料")
    if reason == Pause.Reason.AWAITING_DOCUMENTS and not documents:
        raise invalid("documents", "请勾选需要客户补充的资料")
    if documents:
        version = application.policy_version or rules.version_in_force(
            application.region, deadlines.local_date(application.submitted_at))
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
    if reasons.get(reason, ("", reason == Pause.Reason.FORCE_MAJEURE))[1]:
        if approved_by is None or not access.can(approved_by, "pause.approve_force_majeure"):
            raise invalid("approved_by", f"{reasons[reason][0] if reason in reasons else '不可抗力'}须经营销主管批准，请选择批准主管")
    require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        stage = active_stage(application, code)
        if stage.state != Stage.State.ACTIVE:
            raise Conflict(f"{stage.name}当前为“{stage.get_state_display()}”，只有办理中的环节可以暂停",
                           fields={"stage": stage.state})
        now = timezone.now()
        pause = Pause.objects.create(stage=stage, reason=reason, note=note, started_at=now, started_by=by,
                                     approved_by=approved_by, requested_documents=documents)
        stage.state = Stage.State.PAUSED
        stage.save(update_fields=["state"])
        events.record(actor=by, verb="stage.paused", subject=application,
                      data={"stage": code, "reason": reason, "note": note, "documents": documents,
                            "approved_by": approved_by.username if approved_by else None})
    return pause


def stage_resume(*, application: Application, code: str, by: User) -> Stage:
    access.require(by, "stage.resume")
    require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        stage = active_stage(application, code)
        pause = stage.pauses.filter(ended_at__isnull=True).first()
        if stage.state != Stage.State.PAUSED or pause is None:
            raise Conflict(f"{stage.name}没有暂停，无需恢复", fields={"stage": stage.state})
        now = timezone.now()
        pause.ended_at, pause.ended_by = now, by
        pause.workdays = deadlines.workdays_between(deadlines.local_date(pause.started_at), deadlines.local_date(now))
        pause.save()
        stage.paused_workdays += pause.workdays
        due = deadlines.stage_due(start=stage.counts_from, limit=stage.limit, unit=stage.unit,
                                  paused_workdays=stage.paused_workdays)
        before = stage.due_date
        if due is not None:
            stage.base_due, stage.due_date, stage.provisional = due.base_due, due.due_date, due.provisional
        stage.state = Stage.State.ACTIVE
        stage.alert = stage_alert(stage, deadlines.local_date(now))
        stage.save()
        events.record(actor=by, verb="stage.resumed", subject=application,
                      data={"stage": code, "paused_workdays": pause.workdays, "due_before": before,
                            "due_after": stage.due_date})
    return stage


def stage_assign(*, application: Application, code: str, by: User, assignee: User) -> Stage:
    access.require(by, "application.reassign")
    require_stage_in_policy(application=application, code=code, by=by)
    with transaction.atomic():
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
    for stage in Stage.objects.filter(state__in=OPEN_STAGE_STATES, provisional=True).select_related("application"):
        if stage.limit is None or stage.counts_from is None:
            continue
        due = deadlines.stage_due(start=stage.counts_from, limit=stage.limit, unit=stage.unit,
                                  paused_workdays=stage.paused_workdays)
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
