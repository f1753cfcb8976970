"""上门服务: free slots an account manager publishes, and the applicant's booking of one.

The database holds the invariants: a slot has at most one live booking, an application at
most one live booking at a time; cancelling (never deleting) frees both."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Slot(models.Model):
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointment_slots")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="+",
                               help_text="the division the manager serves; applicants there see the slot")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True, default="")
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            models.UniqueConstraint(fields=["manager", "starts_at"], condition=Q(withdrawn_at__isnull=True),
                                    name="slot_once_per_manager_start"),
        ]

    def __str__(self) -> str:
        return f"{self.manager} {self.starts_at:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="appointments")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField()
    purpose = models.CharField(max_length=200, blank=True, default="")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-booked_at", "-id"]
        constraints = [
            # Two people racing for one slot: the database lets exactly one live booking in.
            models.UniqueConstraint(fields=["slot"], condition=Q(cancelled_at__isnull=True), name="slot_booked_once"),
            models.UniqueConstraint(fields=["application"], condition=Q(cancelled_at__isnull=True),
                                    name="one_live_booking_per_application"),
            models.CheckConstraint(condition=Q(cancelled_at__isnull=True) | Q(cancelled_by__isnull=False),
                                   name="cancel_has_actor"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
