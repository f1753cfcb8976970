"""Reads of slots and bookings: what a user may see, through applications.queries."""
from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from applications.queries import applications_for
from appointments.models import Booking, Slot
from core.errors import NotFound


def free_slots_for(application: Application) -> QuerySet[Slot]:
    live = Booking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True)
    return (Slot.objects.filter(county=application.county, organisation__in=_utility_orgs(application),
                                withdrawn_at__isnull=True, starts_at__gt=timezone.now())
            .exclude(Exists(live)).select_related("manager"))


def _utility_orgs(application: Application) -> list[int]:
    from accounts.models import Organisation

    return [o.pk for o in Organisation.objects.filter(division=application.county)
            if o.utility_root.pk == application.utility_id]


def live_booking(application: Application) -> Booking | None:
    return (Booking.objects.filter(application=application, cancelled_at__isnull=True)
            .select_related("slot", "slot__manager").first())


def slot_for(user: User, application: Application, slot_id) -> Slot:
    # Only slots of the application's county exist for this user; the action checks the rest.
    slot = Slot.objects.filter(pk=slot_id, county=application.county).select_related("organisation").first()
    if slot is None:
        raise NotFound(f"未找到预约时段 {slot_id}", fields={"slot": "未找到"})
    return slot


def booking_for(user: User, booking_id) -> Booking:
    """A booking whose application the user may see."""
    booking = Booking.objects.filter(pk=booking_id, application__in=applications_for(user)).select_related(
        "application", "slot").first()
    if booking is None:
        raise NotFound(f"未找到预约 {booking_id}", fields={"booking": "未找到"})
    return booking


def my_slots(user: User) -> QuerySet[Slot]:
    live = Booking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True)
    return (Slot.objects.filter(manager=user, withdrawn_at__isnull=True, starts_at__gt=timezone.now())
            .annotate(booked=Exists(live)).order_by("starts_at"))


def bookings_for_manager(user: User) -> QuerySet[Booking]:
    return (Booking.objects.filter(slot__manager=user, cancelled_at__isnull=True, slot__starts_at__gt=timezone.now())
            .select_related("slot", "application").order_by("slot__starts_at"))


def my_open_applications(user: User) -> QuerySet[Application]:
    return applications_for(user).filter(applicant_user=user, status__in=["submitted", "in_progress"])

