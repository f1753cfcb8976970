"""Every change to a complaint: keyword-only, atomic, one event each.

A case runs on the legal clock from the day it is filed (or reopened): the limit is the
policy's when a policy gives one, else the `COMPLAINT_LIMIT` setting with its reason. The
supervisor of the handling county company answers; the complainant confirms or reopens.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from accounts.models import Division, Organisation, User
from accounts.roles import Role
from applications import deadlines
from applications.models import Application
from complaints.models import PHONE_CHANNELS, TEXT_MAX, Channel, Complaint, Entry
from core import events, labels, outbox, pii
from core.errors import Conflict, Forbidden, invalid
from workdays.schedule import get_schedule

# A second identical submission this soon after the first is the same case (double click,
# a retried request without a key), not a new complaint.
DUPLICATE_WINDOW = timedelta(minutes=10)
PHONE_DIGITS = 11


@dataclass(frozen=True)
class Limit:
    value: int
    unit: str
    reason: str


def complaint_limit() -> Limit:
    """The time limit of a complaint round (no seed states one: a setting with its reason)."""
    setting = settings.COMPLAINT_LIMIT
    return Limit(int(setting["value"]), setting["unit"], setting["reason"])


def bounded_text(field: str, value: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise invalid(field, "内容不能包含空字符")
    if required and not value:
        raise invalid(field, "请填写内容")
    if len(value) > limit:
        raise invalid(field, f"内容不能超过 {limit} 字（现有 {len(value)} 字）")
    return value


def _county_company(county: Division) -> Organisation:
    serving = list(Organisation.objects.filter(division=county, kind=Organisation.Kind.UTILITY).order_by("code"))
    if not serving:
        raise invalid("county", f"{county.name}暂无供电企业受理投诉")
    return serving[0]


def supervisor_of(org: Organisation) -> User | None:
    return (User.objects.filter(memberships__role=Role.SUPERVISOR, memberships__organisation=org, is_active=True)
            .order_by("id").first())


def _notify(*, recipient: User | None, complaint: Complaint, kind: str, text: str, key: str,
            phone: str = "") -> None:
    """One message per recipient-event through the outbox, inside the caller's transaction;
    a caller with no account (a phone case) gets it by SMS to the number they called from."""
    if recipient is not None:
        outbox.enqueue(kind=kind, text=text, key=key, user=recipient, subject=complaint)
    elif phone:
        outbox.enqueue(kind=kind, text=text, key=key, contact={"name": complaint.contact_name, "phone": phone},
                       subject=complaint)


def _round(complaint: Complaint, today: date) -> None:
    limit = complaint_limit()
    due = deadlines.stage_due(start=today, limit=limit.value, unit=limit.unit, schedule=get_schedule())
    complaint.limit, complaint.unit = limit.value, limit.unit
    complaint.opened_on, complaint.due_date, complaint.provisional = today, due.due_date, due.provisional
    complaint.overdue = False


def complaint_file(*, by: User, text: str, channel: str = Channel.PORTAL, application: Application | None = None,
                   county: Division | None = None, contact_name: str = "", contact_phone: str = "",
                   idempotency_key: str = "") -> tuple[Complaint, bool]:
    """File a complaint; returns (complaint, created). An applicant files about their own
    application or about the service in their county; staff enter phone cases (95598 /
    12398) for anyone. The same key, or the same text again within minutes, is one case."""
    if channel not in Channel.values:
        raise invalid("channel", "渠道须为 网站、接口、95598 或 12398 之一")
    staff_entry = channel in PHONE_CHANNELS
    if staff_entry:
        access.require(by, "complaint.enter")
    elif not access.can(by, "complaint.file"):
        raise Forbidden("工作人员请按来电渠道（95598 / 12398）登记投诉", fields={"channel": "请选择来电渠道"})
    text = bounded_text("text", text)
    idempotency_key = bounded_text("idempotency_key", idempotency_key, required=False, limit=128)
    if application is not None:
        if not staff_entry and application.applicant_user_id != by.pk:
            raise Forbidden("只能就本人的申请投诉", fields={"application": "只能就本人的申请投诉"})
        county = application.county
    if county is None:
        raise invalid("county", "请选择投诉涉及的区县")
    complainant = application.applicant_user if application is not None else None
    if not staff_entry:
        complainant = by
        contact_name = contact_name or labels.person(by)
        contact_phone = contact_phone or by.phone
    contact_name = bounded_text("contact_name", contact_name, limit=64)
    contact_phone = "".join((contact_phone or "").split())
    if staff_entry and not contact_phone:
        raise invalid("contact_phone", "电话投诉须登记来电号码，便于回访")
    if contact_phone and (not contact_phone.isdigit() or len(contact_phone) > 20):
        raise invalid("contact_phone", "请填写正确的电话号码（数字）")
    digest = hashlib.sha256(text.encode()).hexdigest()
    now = timezone.now()
    existing = _duplicate(by=by, key=idempotency_key, digest=digest, application=application, now=now)
    if existing is not None:
        return existing, False
    handling_org = application.handling_org if application is not None else _county_company(county)
    supervisor = supervisor_of(handling_org)
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            complaint = Complaint(
                number="", channel=channel, application=application, county=county,
                utility=handling_org.utility_root, handling_org=handling_org, complainant=complainant,
                contact_name=contact_name,
                contact_phone_enc=pii.encrypt(contact_phone, key=settings.PII_KEY) if contact_phone else "",
                text=text, text_digest=digest, filed_by=by, filed_at=now, idempotency_key=idempotency_key,
                supervisor=supervisor,
            )
            _round(complaint, today)
            complaint.save()
            complaint.number = f"TS{today:%Y%m%d}{complaint.pk:05d}"
            complaint.save(update_fields=["number"])
            events.record(actor=by, verb="complaint.filed", subject=complaint, data={
                "number": complaint.number, "channel": channel, "county": county.code,
                "application": application.number if application else None,
                "due": complaint.due_date, "limit": complaint.limit, "unit": complaint.unit,
                "supervisor": supervisor.username if supervisor else None,
                "contact": pii.mask(contact_phone) if contact_phone else "",
            })
            about = f"（申请 {application.number}）" if application else "（一般服务）"
            _notify(recipient=supervisor, complaint=complaint, kind="complaint_filed",
                    key=f"complaint:{complaint.pk}:filed:{supervisor.pk if supervisor else 0}",
                    text=f"新投诉 {complaint.number}{about}：{contact_name}，请于 {complaint.due_date} 前答复")
    except IntegrityError:
        existing = _duplicate(by=by, key=idempotency_key, digest=digest, application=application, now=now)
        if existing is None:
            raise
        return existing, False
    return complaint, True


def _duplicate(*, by: User, key: str, digest: str, application: Application | None, now) -> Complaint | None:
    if key:
        found = Complaint.objects.filter(filed_by=by, idempotency_key=key).first()
        if found is not None:
            if found.text_digest != digest:
                raise Conflict("该提交标识已用于另一条投诉", fields={"idempotency_key": "已用于另一条投诉"},
                               code="idempotency_mismatch")
            return found
    return (Complaint.objects.filter(filed_by=by, text_digest=digest, application=application,
                                     filed_at__gte=now - DUPLICATE_WINDOW)
            .exclude(state=Complaint.State.CLOSED).order_by("id").first())


def _locked(complaint: Complaint) -> Complaint:
    # Lock the complaint row only: PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins.
    return Complaint.objects.select_for_update(of=("self",)).select_related(
        "application", "complainant", "supervisor").get(pk=complaint.pk)


def complaint_reply(*, complaint: Complaint, by: User, text: str) -> Complaint:
    """The handling company's answer; the complainant is told and asked to confirm."""
    access.require(by, "complaint.reply")
    text = bounded_text("reply", text)
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.state != Complaint.State.OPEN:
            raise Conflict("该投诉当前不在处理中，不能答复", fields={"reply": "当前状态不能答复"})
        late = timezone.localdate(now) > complaint.due_date
        Entry.objects.create(complaint=complaint, kind=Entry.Kind.REPLY, text=text, by=by, at=now)
        complaint.state, complaint.replied_at = Complaint.State.REPLIED, now
        complaint.save(update_fields=["state", "replied_at"])
        events.record(actor=by, verb="complaint.replied", subject=complaint, data={
            "number": complaint.number, "round": complaint.reopened + 1, "due": complaint.due_date, "late": late,
            "before": {"state": "open"}, "after": {"state": "replied"},
        })
        phone = (pii.decrypt(complaint.contact_phone_enc, key=settings.PII_KEY)
                 if complaint.contact_phone_enc and complaint.complainant_id is None else "")
        _notify(recipient=complaint.complainant, complaint=complaint, kind="complaint_replied", phone=phone,
                key=f"complaint:{complaint.pk}:replied:{complaint.reopened}",
                text=f"您的投诉 {complaint.number} 已答复：{text[:60]}{'…' if len(text) > 60 else ''}。"
                     f"请确认是否满意。")
    return complaint


def _may_answer_for(complaint: Complaint, by: User) -> bool:
    """The complainant answers for themselves; staff record a phone caller's answer (回访)."""
    if complaint.complainant_id == by.pk:
        return False
    if access.can(by, "complaint.reply"):
        return True
    raise Forbidden("只有投诉人本人可以确认或重新提出", fields={"satisfied": "只有投诉人本人可以确认"})


def complaint_feedback(*, complaint: Complaint, by: User, satisfied: bool, comment: str = "") -> Complaint:
    """满意 closes the case; 不满意 reopens it on a fresh clock for the same supervisor."""
    on_behalf = _may_answer_for(complaint, by)
    comment = bounded_text("comment", comment, required=not satisfied)
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.state != Complaint.State.REPLIED:
            raise Conflict("投诉答复后才能确认或重新提出", fields={"satisfied": "尚未答复"})
        Entry.objects.create(complaint=complaint, kind=Entry.Kind.SATISFIED if satisfied else Entry.Kind.NOT_SATISFIED,
                             text=comment, by=by, at=now, on_behalf=on_behalf)
        if satisfied:
            complaint.state, complaint.closed_at, complaint.satisfied = Complaint.State.CLOSED, now, True
            complaint.save(update_fields=["state", "closed_at", "satisfied"])
            events.record(actor=by, verb="complaint.confirmed", subject=complaint, data={
                "number": complaint.number, "on_behalf": on_behalf,
                "before": {"state": "replied"}, "after": {"state": "closed"}})
        else:
            complaint.state, complaint.satisfied = Complaint.State.OPEN, False
            complaint.reopened += 1
            _round(complaint, timezone.localdate(now))
            complaint.save(update_fields=["state", "satisfied", "reopened", "limit", "unit", "opened_on",
                                          "due_date", "provisional", "overdue"])
            events.record(actor=by, verb="complaint.reopened", subject=complaint, data={
                "number": complaint.number, "round": complaint.reopened + 1, "due": complaint.due_date,
                "on_behalf": on_behalf, "before": {"state": "replied"}, "after": {"state": "open"}})
            _notify(recipient=complaint.supervisor, complaint=complaint, kind="complaint_reopened",
                    key=f"complaint:{complaint.pk}:reopened:{complaint.reopened}",
                    text=f"投诉 {complaint.number} 投诉人不满意，已重新打开，请于 {complaint.due_date} 前再次答复")
    return complaint


def complaint_close(*, complaint: Complaint, by: User, note: str) -> Complaint:
    """办结 by the supervisor after a reply (e.g. the caller could not be reached for 回访);
    the note says why. An unanswered case cannot be closed."""
    access.require(by, "complaint.close")
    note = bounded_text("note", note)
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.state == Complaint.State.CLOSED:
            raise Conflict("该投诉已办结", fields={"note": "已办结"})
        if not complaint.entries.filter(kind=Entry.Kind.REPLY).exists():
            raise Conflict("投诉须先答复才能办结", fields={"note": "请先答复投诉人"})
        before = complaint.state
        Entry.objects.create(complaint=complaint, kind=Entry.Kind.CLOSE, text=note, by=by, at=now)
        complaint.state, complaint.closed_at = Complaint.State.CLOSED, now
        complaint.save(update_fields=["state", "closed_at"])
        events.record(actor=by, verb="complaint.closed", subject=complaint, data={
            "number": complaint.number, "before": {"state": before}, "after": {"state": "closed"}})
    return complaint


def complaints_check_overdue(*, today: date | None = None) -> int:
    """The periodic sweep: mark unanswered cases past their due date and tell the supervisor.
    Idempotent: a case is marked once per round."""
    today = today or timezone.localdate(timezone.now())
    marked = 0
    late = Complaint.objects.filter(state=Complaint.State.OPEN, overdue=False, due_date__lt=today)
    for complaint in late.select_related("supervisor", "application").iterator(chunk_size=500):
        with transaction.atomic():
            updated = Complaint.objects.filter(pk=complaint.pk, overdue=False, state=Complaint.State.OPEN).update(
                overdue=True)
            if not updated:
                continue
            events.record(actor="job:complaints", verb="complaint.overdue", subject=complaint, data={
                "number": complaint.number, "due": complaint.due_date, "round": complaint.reopened + 1})
            _notify(recipient=complaint.supervisor, complaint=complaint, kind="overdue",
                    key=f"complaint:{complaint.pk}:overdue:{complaint.reopened}",
                    text=f"投诉 {complaint.number} 已超过答复期限（{complaint.due_date}），请尽快答复")
            marked += 1
    return marked
