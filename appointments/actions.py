"""上门服务 appointments: publish, book, cancel — keyword-only, atomic, each writing its event."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from accounts.models import Membership, User
from accounts.roles import Role
from applications import messages
from applications.models import Application
from applications.queries import applications_for
from appointments.models import Booking, Slot
from core import events
from core.bounds import check_text
from core.errors import Conflict, Forbidden, invalid

MAX_SLOT = dt.timedelta(hours=8)
# Slots are offered for the coming months, not for any year a form can carry.
MAX_AHEAD = dt.timedelta(days=366)


def slot_publish(*, by: User, starts_at: dt.datetime, ends_at: dt.datetime, note: str = "") -> Slot:
    """An account manager offers a free visit slot to applicants in the division they serve."""
    access.require(by, "appointment.publish")
    membership = (Membership.objects.filter(user=by, role__in=[Role.ACCOUNT_MANAGER, Role.SUPERVISOR])
                  .select_related("organisation").first())
    if membership is None or membership.organisation is None:
        raise Forbidden("发布预约时段须属于供电企业", fields={"organisation": "none"})
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise invalid("starts_at", "时间须带时区")
    now = timezone.now()
    if starts_at <= now:
        raise invalid("starts_at", "开始时间须晚于现在")
    if ends_at <= starts_at:
        raise invalid("ends_at", "结束时间须晚于开始时间")
    if starts_at - now > MAX_AHEAD:
        raise invalid("starts_at", "最多提前一年发布")
    if ends_at - starts_at > MAX_SLOT:
        raise invalid("ends_at", "每个时段最长8小时")
    check_text("note", note, max_length=200)
    org = membership.organisation
    try:
        with transaction.atomic():
            slot = Slot.objects.create(manager=by, organisation=org, county=org.division, starts_at=starts_at,
                                       ends_at=ends_at, note=note.strip(), published_at=now)
            events.record(actor=by, verb="slot.published", subject=slot,
                          data={"starts_at": starts_at, "ends_at": ends_at, "county": org.division.code})
    except IntegrityError:
        raise Conflict("您在该时间已发布过时段", fields={"starts_at": "taken"}) from None
    return slot


def booking_create(*, application: Application, slot: Slot, by: User, purpose: str = "") -> Booking:
    """The applicant books one free slot for their application. The unique constraint on live
    bookings decides a race: the loser gets a Conflict, never a double booking."""
    access.require(by, "appointment.book")
    if application.applicant_user_id != by.pk:
        raise Forbidden("只有申请人本人可以预约上门", fields={"user": by.username})
    if not application.is_open:
        raise Conflict(f"申请 {application.number} 已办结", fields={"status": application.status})
    if slot.withdrawn_at is not None or slot.starts_at <= timezone.now():
        raise Conflict("该时段已不再提供", fields={"slot": "unavailable"})
    if slot.county_id != application.county_id or slot.organisation.utility_root.pk != application.utility_id:
        raise invalid("slot", "该时段不服务本申请所在区县和供电企业")
    check_text("purpose", purpose, max_length=200)
    try:
        with transaction.atomic():
            # Under the application's lock: a withdrawal committing meanwhile is seen here.
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if not locked.is_open:
                raise Conflict(f"{locked.number} 已办结", fields={"status": locked.get_status_display()}, code="closed")
            booking = Booking.objects.create(slot=slot, application=application, booked_by=by,
                                             booked_at=timezone.now(), purpose=purpose.strip())
            events.record(actor=by, verb="appointment.booked", subject=application,
                          data={"booking": booking.pk, "slot": slot.pk, "starts_at": slot.starts_at,
                                "manager": slot.manager.get_username()})
            when = _when(slot)
            messages.to_applicant(application, kind="appointment_booked", event=f"booking:{booking.pk}:booked",
                                  text=f"{application.number}：已预约 {when} 上门服务，"
                                       f"{messages.who(slot.manager, '客户经理')}将按时到达。如需改期请先取消预约再重新预约。")
            messages.to_staff(application, slot.manager, kind="appointment_booked",
                              event=f"booking:{booking.pk}:booked",
                              text=f"新预约：{application.number}（{application.applicant_name}）预约了 {when} "
                                   f"上门服务{('，事由：' + booking.purpose) if booking.purpose else ''}。")
    except IntegrityError:
        if Booking.objects.filter(application=application, cancelled_at__isnull=True).exists():
            raise Conflict("本申请已有预约，请先取消再预约",
                           fields={"application": "booked"}) from None
        raise Conflict("该时段刚被他人预约，请选择其他时段", fields={"slot": "taken"}) from None
    return booking


def booking_cancel(*, booking: Booking, by: User, reason: str = "") -> Booking:
    """Cancel a live booking (the applicant, or staff of the county); the slot is free again."""
    access.require(by, "appointment.cancel")
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("application").get(pk=booking.pk)
        if not applications_for(by).filter(pk=booking.application_id).exists():
            raise Forbidden("该预约不在您的辖区", fields={"booking": str(booking.pk)})
        if booking.cancelled_at is not None:
            raise Conflict("该预约已取消", fields={"booking": "cancelled"})
        booking.cancelled_at, booking.cancelled_by = timezone.now(), by
        booking.save(update_fields=["cancelled_at", "cancelled_by"])
        events.record(actor=by, verb="appointment.cancelled", subject=booking.application,
                      data={"booking": booking.pk, "slot": booking.slot_id, "reason": reason[:200]})
        application, when = booking.application, _when(booking.slot)
        why = f"，原因：{reason.strip()[:200]}" if reason.strip() else ""
        messages.to_applicant(application, kind="appointment_cancelled", event=f"booking:{booking.pk}:cancelled",
                              text=f"{application.number}：{when} 的上门服务预约已由"
                                   f"{'您本人' if by.pk == application.applicant_user_id else messages.who(by)}取消{why}。"
                                   f"如仍需上门服务，请重新预约。")
        if booking.slot.manager_id != by.pk:
            messages.to_staff(application, booking.slot.manager, kind="appointment_cancelled",
                              event=f"booking:{booking.pk}:cancelled",
                              text=f"{application.number}（{application.applicant_name}）{when} 的上门服务预约已取消{why}。")
    return booking


def bookings_cancel_for_closed(*, application: Application, by: User | None, now, reason: str) -> None:
    """The application closed: its live booking is cancelled (the slot is free again), with the
    same event as a cancellation by hand. Runs inside the closing transaction."""
    for booking in Booking.objects.select_for_update().filter(application=application, cancelled_at__isnull=True):
        booking.cancelled_at, booking.cancelled_by = now, by
        booking.save(update_fields=["cancelled_at", "cancelled_by"])
        events.record(actor=by, verb="appointment.cancelled", subject=application,
                      data={"booking": booking.pk, "slot": booking.slot_id, "reason": reason[:200],
                            "closed": application.status})
        # The manager would otherwise drive out to a visit nobody expects.
        messages.to_staff(application, booking.slot.manager, kind="appointment_cancelled",
                          event=f"booking:{booking.pk}:cancelled",
                          text=f"{application.number}（{application.applicant_name}）已{application.get_status_display()}，"
                               f"{_when(booking.slot)} 的上门服务预约随之取消。")


def _when(slot: Slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
