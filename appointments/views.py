"""上门服务 pages: the manager publishes slots; the applicant books and cancels one."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import access
from applications.queries import application_for
from appointments import actions, queries
from core.dates import strict_date
from core.errors import DomainError, NotFound

# Visit lengths offered on the form, in minutes.
DURATIONS = [30, 60, 90, 120]


def _404(exc: NotFound):
    return Http404(exc.message)


def _home(request, *, error: str = "", form=None, status: int = 200):
    return render(request, "appointments/home.html", {
        "can_publish": access.can(request.user, "appointment.publish"),
        "slots": queries.my_slots(request.user), "bookings": queries.bookings_for_manager(request.user),
        "applications": queries.my_open_applications(request.user), "error": error, "form": form or {},
        "durations": DURATIONS,
    }, status=status)


@login_required
def home(request):
    return _home(request)


@login_required
@require_POST
def publish(request):
    form = request.POST
    try:
        day = strict_date(form.get("date", ""))
    except ValueError:
        return _home(request, error="日期 (date)：请填写 YYYY-MM-DD", form=form, status=422)
    try:
        start = dt.time.fromisoformat(form.get("time", ""))
    except ValueError:
        return _home(request, error="开始时间 (time)：请填写 HH:MM", form=form, status=422)
    minutes = form.get("minutes", "60")
    if minutes not in {str(m) for m in DURATIONS}:
        return _home(request, error="时长 (minutes)：请选择时长", form=form, status=422)
    minutes = int(minutes)
    starts_at = timezone.make_aware(dt.datetime.combine(day, start), timezone.get_default_timezone())
    try:
        actions.slot_publish(by=request.user, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=minutes),
                             note=form.get("note", ""))
    except DomainError as exc:
        return _home(request, error=exc.for_people, form=form, status=exc.status)
    return redirect("appointments:home")


def _application_page(request, application, *, error: str = "", status: int = 200):
    return render(request, "appointments/application.html", {
        "application": application, "booking": queries.live_booking(application),
        "slots": queries.free_slots_for(application),
        "can_book": application.applicant_user_id == request.user.pk and access.can(request.user, "appointment.book"),
        "error": error,
    }, status=status)


@login_required
def application_page(request, application_id: int):
    try:
        application = application_for(request.user, application_id)
    except NotFound as exc:
        raise _404(exc) from exc
    return _application_page(request, application)


@login_required
@require_POST
def book(request, application_id: int, slot_id: int):
    try:
        application = application_for(request.user, application_id)
        slot = queries.slot_for(request.user, application, slot_id)
    except NotFound as exc:
        raise _404(exc) from exc
    try:
        actions.booking_create(application=application, slot=slot, by=request.user,
                               purpose=request.POST.get("purpose", ""))
    except DomainError as exc:
        return _application_page(request, application, error=exc.for_people, status=exc.status)
    return redirect("appointments:application", application_id=application.pk)


@login_required
@require_POST
def cancel(request, booking_id: int):
    try:
        booking = queries.booking_for(request.user, booking_id)
    except NotFound as exc:
        raise _404(exc) from exc
    try:
        actions.booking_cancel(booking=booking, by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _application_page(request, booking.application, error=exc.for_people, status=exc.status)
    if request.POST.get("next") == "home":
        return redirect("appointments:home")
    return redirect("appointments:application", application_id=booking.application_id)
