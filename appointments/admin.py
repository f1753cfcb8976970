"""Read-only admin: slots and bookings change only through appointments.actions."""
from django.contrib import admin

from appointments.models import Booking, Slot
from core.admin import ReadOnlyAdmin as ReadOnly


@admin.register(Slot)
class SlotAdmin(ReadOnly):
    list_display = ["manager", "county", "starts_at", "ends_at", "withdrawn_at"]


@admin.register(Booking)
class BookingAdmin(ReadOnly):
    list_display = ["slot", "application", "booked_by", "booked_at", "cancelled_at"]
