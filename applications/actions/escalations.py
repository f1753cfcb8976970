"""Warnings and 督办: the periodic deadline sweep and the supervisor's escalation orders."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from accounts.roles import Role
from applications import deadlines, messages, queries, rules
from applications.models import Application, Escalation, Stage, Status
from core import events
from core.bounds import NOTE_LENGTH, check_text
from core.errors import Conflict, invalid
from workdays.clock import Schedule
from workdays.schedule import get_schedule


def stage_alert(stage: Stage, today: date, *, schedule: Schedule) -> str:
    """warning / overdue / none for an open stage today, by the pinned policy's warning rule.
    The caller fetches the schedule once for all the stages it looks at."""
    if stage.due_date is None:
        return Stage.Alert.NONE
    if today > stage.due_date:
        return Stage.Alert.OVERDUE
    settings_ = rules.alert_settings(stage.application.policy_version)
    left = deadlines.workdays_between(today, stage.due_date, schedule=schedule)
    total = max(deadlines.workdays_between(stage.counts_from, stage.due_date, schedule=schedule), 1)
    used = deadlines.workdays_between(stage.counts_from, today, schedule=schedule) - stage.paused_workdays
    if left <= settings_.workdays_left or used / total >= settings_.share_used:
        return Stage.Alert.WARNING
    return Stage.Alert.NONE


def county_supervisor(application: Application) -> User | None:
    return queries.first_staff(application.handling_org, Role.SUPERVISOR)


def stages_check_deadlines(*, today: date | None = None) -> dict[str, int]:
    """The periodic sweep: mark warning/overdue, notify assignees, open 督办 for overdue
    stages. Idempotent: notifications and escalations are keyed, so a second run sends nothing."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    counts = {"warning": 0, "overdue": 0, "notified": 0, "escalated": 0}
    schedule = get_schedule()
    active = Stage.objects.filter(state=Stage.State.ACTIVE, application__status=Status.IN_PROGRESS).select_related(
        "application", "application__policy_version", "assignee")
    for stage in active.iterator(chunk_size=500):
        alert = stage_alert(stage, today, schedule=schedule)
        if alert == Stage.Alert.NONE:
            continue
        counts[alert] += 1
        application = stage.application
        with transaction.atomic():
            if stage.alert != alert:
                Stage.objects.filter(pk=stage.pk).update(alert=alert)
                events.record(actor=None, verb=f"stage.{alert}", subject=application,
                              data={"stage": stage.code, "due": stage.due_date, "today": today})
            recipient = stage.assignee or application.account_manager
            if messages.stage_alert(stage, recipient, alert=alert):
                counts["notified"] += 1
            if alert == Stage.Alert.OVERDUE and not Escalation.objects.filter(stage=stage).exists():
                n, unit = rules.escalation_limit(application.policy_version)
                supervisor = county_supervisor(application)
                escalation = Escalation.objects.create(
                    stage=stage, supervisor=supervisor, opened_at=now,
                    due_date=deadlines.add(today, n, unit, schedule=schedule),
                )
                counts["escalated"] += 1
                events.record(actor=None, verb="escalation.opened", subject=application,
                              data={"stage": stage.code, "due": escalation.due_date,
                                    "supervisor": supervisor.username if supervisor else None})
                messages.escalated(escalation)
    return counts


def escalation_reply(*, escalation: Escalation, by: User, reply: str) -> Escalation:
    access.require(by, "escalation.reply")
    if not reply.strip():
        raise invalid("reply", "请填写整改回复")
    check_text("reply", reply, max_length=NOTE_LENGTH)
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.state == Escalation.State.CLOSED:
            raise Conflict("this 督办 is closed", fields={"state": "closed"})
        escalation.reply, escalation.replied_by, escalation.replied_at = reply.strip(), by, timezone.now()
        escalation.state = Escalation.State.REPLIED
        escalation.save()
        events.record(actor=by, verb="escalation.replied", subject=escalation.stage.application,
                      data={"stage": escalation.stage.code, "reply": escalation.reply})
    return escalation


def escalation_close(*, escalation: Escalation, by: User) -> Escalation:
    access.require(by, "escalation.close")
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.state == Escalation.State.CLOSED:
            raise Conflict("this 督办 is already closed", fields={"state": "closed"}, code="closed")
        escalation.state, escalation.closed_at = Escalation.State.CLOSED, timezone.now()
        escalation.save()
        events.record(actor=by, verb="escalation.closed", subject=escalation.stage.application,
                      data={"stage": escalation.stage.code})
    return escalation
