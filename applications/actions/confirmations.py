"""The second person (双人复核 and the supervisor's approval of a force-majeure pause).

A name in a request proves nothing: the second person must be staff of the handling company
with the right role, and must act themselves — either by confirming the pending confirmation
that waits in their queue, or by entering their own password in the same request (checking
on the spot)."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import GRID_STAFF, Role
from applications import messages
from applications.actions.progress import active_stage, finish_stage, lock_open, start_next
from applications.models import Application, Confirmation, Pause, Stage
from core import events, labels, outbox
from core.bounds import NOTE_LENGTH, check_text
from core.dates import parse_date
from core.errors import Conflict, Forbidden, invalid

# Who may be the second person, and from which organisations: a check is done by staff of
# the handling company itself; a force-majeure pause is approved by a supervisor of that
# company or of the utility above it (the city company supervises its counties), never by
# another city's.
SECOND_PERSON_ROLES = {
    Confirmation.Kind.STAGE_CHECK: frozenset(GRID_STAFF),
    Confirmation.Kind.FORCE_MAJEURE: frozenset({Role.SUPERVISOR}),
}
FIELDS = {Confirmation.Kind.STAGE_CHECK: "checked_by", Confirmation.Kind.FORCE_MAJEURE: "approved_by"}
PASSWORD_FIELDS = {Confirmation.Kind.STAGE_CHECK: "checker_password",
                   Confirmation.Kind.FORCE_MAJEURE: "approver_password"}


def _organisations(application: Application, kind: str) -> list[Organisation]:
    org = application.handling_org
    if kind == Confirmation.Kind.STAGE_CHECK:
        return [org]
    chain = [org]
    while chain[-1].parent_id is not None and chain[-1].parent.kind == Organisation.Kind.UTILITY:
        chain.append(chain[-1].parent)
    return chain


def second_person_problem(*, application: Application, user: User, kind: str, first: User) -> str:
    """Why `user` cannot be the second person for `kind` on this application ("" if they can)."""
    if user.pk == first.pk:
        return "复核人不能是提请人本人"
    if not user.is_active:
        return "该账号已停用"
    organisations = _organisations(application, kind)
    if not Membership.objects.filter(user=user, organisation__in=organisations,
                                     role__in=SECOND_PERSON_ROLES[kind]).exists():
        who = "工作人员" if kind == Confirmation.Kind.STAGE_CHECK else "营销主管"
        return f"须为{application.handling_org.name}的{who}"
    return ""


def require_second_person(*, application: Application, user: User | None, kind: str, first: User,
                          password: str | None) -> bool:
    """Check eligibility; with a password, check the credential too. Returns True when the
    second person has signed in this request, False when their confirmation is to be asked."""
    field = FIELDS[kind]
    if user is None:
        raise invalid(field, "请选择第二人（复核人或批准主管）")
    if problem := second_person_problem(application=application, user=user, kind=kind, first=first):
        raise invalid(field, problem)
    if password is None or password == "":
        return False
    if len(password) > 128 or not user.check_password(password):
        raise invalid(PASSWORD_FIELDS[kind], f"密码与{labels.person(user)}的账号不符")
    return True


def confirmation_request(*, application: Application, stage: Stage, kind: str, by: User, confirmer: User,
                         data: dict) -> Confirmation:
    """Put a pending confirmation in the second person's queue. Inside the caller's transaction."""
    if Confirmation.objects.filter(stage=stage, kind=kind, state=Confirmation.State.PENDING).exists():
        raise Conflict("本环节已有一项确认在等待处理", fields={FIELDS[kind]: "已有待确认事项"})
    now = timezone.now()
    confirmation = Confirmation.objects.create(application=application, stage=stage, kind=kind, requested_by=by,
                                               confirmer=confirmer, data=data, requested_at=now)
    events.record(actor=by, verb="confirmation.requested", subject=application,
                  data={"confirmation": confirmation.pk, "kind": kind, "stage": stage.code,
                        "confirmer": confirmer.pk, **data})
    outbox.enqueue(kind="confirmation_requested", user=confirmer, subject=application,
                   key=f"confirmation:{confirmation.pk}:requested",
                   text=f"{application.number} {stage.name}：{by} 请您{confirmation.get_kind_display()}，请在工作台确认。")
    return confirmation


def _locked_pending(confirmation: Confirmation, by: User) -> Confirmation:
    confirmation = Confirmation.objects.select_for_update().select_related("stage", "requested_by").get(
        pk=confirmation.pk)
    if confirmation.confirmer_id != by.pk:
        raise Forbidden("只有被请求的本人可以处理这项确认", fields={"confirmation": "不是发给您的确认"})
    if confirmation.state != Confirmation.State.PENDING:
        raise Conflict(f"这项确认已{confirmation.get_state_display()}", fields={"state": confirmation.get_state_display()},
                       code="closed")
    return confirmation


def confirmation_confirm(*, confirmation: Confirmation, by: User) -> Confirmation:
    """The second person confirms: the check completes the stage, the approval starts the pause."""
    with transaction.atomic():
        application = lock_open(confirmation.application)
        confirmation = _locked_pending(confirmation, by)
        if problem := second_person_problem(application=application, user=by, kind=confirmation.kind,
                                            first=confirmation.requested_by):
            raise Forbidden(problem, fields={FIELDS[confirmation.kind]: problem})
        stage = active_stage(application, confirmation.stage.code)
        if stage.state != Stage.State.ACTIVE:
            raise Conflict(f"{stage.name}当前为{stage.get_state_display()}，不在办理中", fields={"stage": stage.get_state_display()})
        now = timezone.now()
        confirmation.state, confirmation.decided_at = Confirmation.State.CONFIRMED, now
        confirmation.save(update_fields=["state", "decided_at"])
        events.record(actor=by, verb="confirmation.confirmed", subject=application,
                      data={"confirmation": confirmation.pk, "kind": confirmation.kind, "stage": stage.code})
        data = confirmation.data
        if confirmation.kind == Confirmation.Kind.STAGE_CHECK:
            evidence = parse_date("evidence_date", data["evidence_date"]) if data.get("evidence_date") else None
            complete_now(application=application, stage=stage, by=confirmation.requested_by, checked_by=by,
                         result=data.get("result", ""), evidence_date=evidence, now=now, actor=by)
        else:
            respond_by = parse_date("respond_by", data["respond_by"]) if data.get("respond_by") else None
            pause_now(application=application, stage=stage, by=confirmation.requested_by, approved_by=by,
                      reason=data["reason"], note=data.get("note", ""), respond_by=respond_by, now=now, actor=by)
    return confirmation


def confirmation_decline(*, confirmation: Confirmation, by: User, note: str = "") -> Confirmation:
    check_text("note", note, max_length=NOTE_LENGTH)
    with transaction.atomic():
        confirmation = _locked_pending(confirmation, by)
        confirmation.state, confirmation.decided_at, confirmation.note = (
            Confirmation.State.DECLINED, timezone.now(), note.strip())
        confirmation.save(update_fields=["state", "decided_at", "note"])
        application = confirmation.application
        events.record(actor=by, verb="confirmation.declined", subject=application,
                      data={"confirmation": confirmation.pk, "kind": confirmation.kind,
                            "stage": confirmation.stage.code, "note": confirmation.note})
        outbox.enqueue(kind="confirmation_declined", user=confirmation.requested_by, subject=application,
                       key=f"confirmation:{confirmation.pk}:declined",
                       text=f"{application.number} {confirmation.stage.name}：{by} 未确认"
                            f"{confirmation.get_kind_display()}{('：' + confirmation.note) if confirmation.note else ''}")
    return confirmation


def complete_now(*, application: Application, stage: Stage, by: User, checked_by: User | None, result: str,
                 evidence_date: date | None, now, actor: User, claimed_at=None) -> None:
    """Finish the stage and start the next; `by` did the work, `actor` is who made this request."""
    finish_stage(stage=stage, by=by, now=now, result=result, checked_by=checked_by, evidence_date=evidence_date)
    events.record(actor=actor, verb="stage.completed", subject=application, claimed_at=claimed_at,
                  data={"stage": stage.code, "result": result, "grid_workdays": stage.grid_workdays,
                        "due": stage.due_date, "evidence_date": evidence_date, "completed_by": by.pk,
                        "checked_by": checked_by.pk if checked_by else None})
    messages.stage_completed(stage)
    start_next(application=application, after=stage, now=now)


def pause_now(*, application: Application, stage: Stage, by: User, approved_by: User | None, reason: str,
              note: str, now, actor: User, respond_by: date | None = None, documents=()) -> Pause:
    pause = Pause.objects.create(stage=stage, reason=reason, note=note, started_at=now, started_by=by,
                                 approved_by=approved_by, respond_by=respond_by,
                                 requested_documents=list(documents))
    stage.state = Stage.State.PAUSED
    stage.save(update_fields=["state"])
    events.record(actor=actor, verb="stage.paused", subject=application,
                  data={"stage": stage.code, "reason": reason, "note": note, "respond_by": respond_by,
                        "documents": list(documents),
                        "started_by": by.pk, "approved_by": approved_by.pk if approved_by else None})
    messages.paused(pause)
    return pause
