"""What people are told about an application, in plain Chinese, through core.outbox.

Each function is called by an action INSIDE its transaction, right after the change, so the
message commits with it or not at all. Keys are one per recipient-event: running an action's
message twice (a retried request, a second sweep) writes nothing new.

Dates read 2026-12-01; people, stages and reasons by name, never by code.
"""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from applications.models import Application, Pause, Stage
from core import outbox, pii


def day(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, date) or hasattr(value, "hour"):
        value = timezone.localdate(value)
    return value.isoformat()


def who(user: User | None, fallback: str = "工作人员") -> str:
    """A person by name; a login name is never shown (it may be a phone number)."""
    return (user.display_name.strip() or fallback) if user else fallback


def to_applicant(application: Application, *, kind: str, text: str, event: str) -> None:
    """To the applicant: their account (in-app + their channel), or — for a hall or phone
    application with no account — an SMS to the contact phone they gave."""
    key = f"application:{application.pk}:{event}"
    if application.applicant_user_id:
        outbox.enqueue(kind=kind, text=text, key=f"{key}:u{application.applicant_user_id}",
                       user=application.applicant_user, subject=application)
    elif application.contact_phone_enc:
        phone = pii.decrypt(application.contact_phone_enc, key=settings.PII_KEY)
        outbox.enqueue(kind=kind, text=text, key=f"{key}:contact", subject=application,
                       contact={"name": application.applicant_name, "phone": phone})


def to_staff(application: Application, user: User | None, *, kind: str, text: str, event: str) -> bool:
    """To a member of staff; True when this is news (not an event they were already told of)."""
    if user is None:
        return False
    key = f"application:{application.pk}:{event}:u{user.pk}"
    if outbox.known(key):
        return False
    outbox.enqueue(kind=kind, text=text, key=key, user=user, subject=application)
    return True


def _due_text(stage: Stage) -> str:
    if stage.due_date is None:
        return "本环节政策未设时限"
    note = "（节假日安排尚未公布，按暂定日历计算）" if stage.provisional else ""
    return f"应于 {day(stage.due_date)} 前完成{note}"


# ---------------------------------------------------------------- the applicant

def accepted(application: Application) -> None:
    to_applicant(application, kind="accepted", event="accepted",
               text=f"您的用电申请 {application.number}（{application.category_name}）已于 "
                    f"{day(application.accepted_at)} 受理，后续每个环节的进展都会通知您。")


def stage_started(stage: Stage) -> None:
    application = stage.application
    text = f"{application.number}：「{stage.name}」环节已开始，{_due_text(stage)}。"
    to_applicant(application, kind="stage_started", event=f"stage:{stage.pk}:started", text=text)
    if stage.assignee_id:
        to_staff(application, stage.assignee, kind="stage_started", event=f"stage:{stage.pk}:started",
               text=f"新待办：{application.number}（{application.applicant_name}）「{stage.name}」，{_due_text(stage)}。")


def stage_completed(stage: Stage) -> None:
    application = stage.application
    to_applicant(application, kind="stage_completed", event=f"stage:{stage.pk}:completed",
               text=f"{application.number}：「{stage.name}」环节已于 {day(stage.ended_at)} 办结。")


def paused(pause: Pause) -> None:
    stage, application = pause.stage, pause.stage.application
    needed = pause.note.strip() or pause.get_reason_display()
    by_when = f"请于 {day(pause.respond_by)} 前办理" if getattr(pause, "respond_by", None) else "请尽快办理"
    to_applicant(application, kind="paused", event=f"pause:{pause.pk}:started",
               text=f"{application.number}：「{stage.name}」暂停计时，原因：{pause.get_reason_display()}。"
                    f"需要您：{needed}。{by_when}，办理后恢复计时，暂停期间不计入供电公司办理时间。")


def resumed(pause: Pause) -> None:
    stage, application = pause.stage, pause.stage.application
    to_applicant(application, kind="resumed", event=f"pause:{pause.pk}:ended",
               text=f"{application.number}：「{stage.name}」已恢复计时（暂停 {pause.workdays} 个工作日），"
                    f"{_due_text(stage)}。")


def scheme_replied(application: Application, schemes: list, *, event: str) -> None:
    names = "、".join(s.label for s in schemes)
    if len(schemes) == 1:
        ask = "请登录网上办电查看接入点、产权分界和费用。"
    else:
        ask = "请登录网上办电比较各方案的接入点、产权分界和费用，并选择一个。"
    to_applicant(application, kind="scheme_replied", event=f"schemes:{event}",
               text=f"{application.number}：供电方案已答复，共 {len(schemes)} 个方案（{names}）。{ask}")


def fee_due(fee) -> None:
    application = fee.application
    to_applicant(application, kind="fee_due", event=f"fee:{fee.pk}",
               text=f"{application.number}：待缴费用「{fee.item}」¥{fee.amount:,.2f}（收费依据：{fee.basis}），"
                    f"请登录网上办电在线缴纳。")


def energised(application: Application) -> None:
    to_applicant(application, kind="energised", event="energised",
               text=f"{application.number}：已于 {day(application.energised_at)} 装表接电，"
                    f"感谢您的耐心，欢迎对本次服务进行评价。")


def rejected(application: Application) -> None:
    to_applicant(application, kind="rejected", event="rejected",
               text=f"{application.number}：您的用电申请未能受理，原因：{application.closing_reason}。"
                    f"如有疑问请致电 95598。")


def withdrawn(application: Application) -> None:
    to_applicant(application, kind="withdrawn", event="withdrawn",
               text=f"{application.number}：您的用电申请已于 {day(application.closed_at)} 撤回，"
                    f"进行中的环节已终止。")
    if application.account_manager_id:
        to_staff(application, application.account_manager, kind="withdrawn", event="withdrawn",
               text=f"{application.number}（{application.applicant_name}）已由申请人撤回。")


# ---------------------------------------------------------------- staff

def stage_alert(stage: Stage, recipient: User | None, *, alert: str) -> bool:
    application = stage.application
    if alert == Stage.Alert.WARNING:
        text = (f"时限预警：{application.number}（{application.applicant_name}）「{stage.name}」将于 "
                f"{day(stage.due_date)} 到期，请抓紧办理。")
    else:
        text = (f"超期：{application.number}（{application.applicant_name}）「{stage.name}」已超过时限"
                f"（应于 {day(stage.due_date)} 前完成），请尽快办结。")
    return to_staff(application, recipient, kind=alert, event=f"stage:{stage.pk}:{alert}:{stage.due_date}", text=text)


def escalated(escalation) -> None:
    stage = escalation.stage
    application = stage.application
    text = (f"督办：{application.number}（{application.applicant_name}）「{stage.name}」已超期"
            f"（应于 {day(stage.due_date)} 前完成），请于 {day(escalation.due_date)} 前督促办结并回复。")
    to_staff(application, escalation.supervisor, kind="escalated", event=f"escalation:{escalation.pk}", text=text)
    handler = stage.assignee or application.account_manager
    if handler is not None and handler != escalation.supervisor:
        to_staff(application, handler, kind="escalated", event=f"escalation:{escalation.pk}",
               text=f"{application.number}「{stage.name}」已被{who(escalation.supervisor, '主管')}督办，"
                    f"请于 {day(escalation.due_date)} 前办结。")
