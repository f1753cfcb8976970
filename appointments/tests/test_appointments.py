"""上门服务: the account manager offers slots, an applicant books one, a slot is booked once."""
import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from applications import actions as applications
from applications.actions import ApplicationInput
from applications.tests.conftest import at, enterprise, person
from appointments import actions, queries
from appointments.models import Booking
from core import events
from core.errors import Conflict, Forbidden, InvalidInput
from core.models import Event

pytestmark = pytest.mark.django_db


def application_of(team, **body):
    application, _ = applications.application_create(by=team.applicant,
                                                     data=ApplicationInput(**enterprise(county=team.county.code, **body)))
    return application


def second_applicant(team):
    from accounts import actions as accounts
    from accounts.roles import Role

    neighbour = accounts.user_create(username="tez_neighbour", password="correct-horse-42", role=Role.APPLICANT)
    application, _ = applications.application_create(
        by=neighbour, data=ApplicationInput(**person(county=team.county.code, site_address="台儿庄区古城路9号")))
    return neighbour, application


@pytest.fixture
def slot(zz, travel):
    travel(at(2026, 9, 28, 9))
    return actions.slot_publish(by=zz.account_manager, starts_at=at(2026, 9, 30, 9), ends_at=at(2026, 9, 30, 10),
                                note="现场勘查")


def test_a_slot_is_booked_once_and_cancelling_frees_it(zz, slot):
    mine = application_of(zz)
    neighbour, theirs = second_applicant(zz)
    assert list(queries.free_slots_for(mine)) == [slot]
    booking = actions.booking_create(application=mine, slot=slot, by=zz.applicant, purpose="勘查配电房位置")
    assert list(queries.free_slots_for(theirs)) == []
    with pytest.raises(Conflict, match="刚被他人预约"):
        actions.booking_create(application=theirs, slot=slot, by=neighbour)
    actions.booking_cancel(booking=booking, by=zz.applicant)
    assert list(queries.free_slots_for(theirs)) == [slot]
    actions.booking_create(application=theirs, slot=slot, by=neighbour)
    assert Booking.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 1
    assert [e for e in ("appointment.booked", "appointment.cancelled")
            if not Event.objects.filter(verb=e).exists()] == []
    assert events.verify().ok


def test_the_database_refuses_a_concurrent_double_booking(zz, slot):
    """Two requests both saw the slot free; whichever inserts second hits the constraint."""
    mine = application_of(zz)
    _, theirs = second_applicant(zz)
    Booking.objects.create(slot=slot, application=mine, booked_by=zz.applicant, booked_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, application=theirs, booked_by=zz.applicant, booked_at=timezone.now())


def test_one_live_booking_per_application(zz, slot, travel):
    later = actions.slot_publish(by=zz.account_manager, starts_at=at(2026, 10, 9, 14), ends_at=at(2026, 10, 9, 15))
    mine = application_of(zz)
    actions.booking_create(application=mine, slot=slot, by=zz.applicant)
    with pytest.raises(Conflict, match="已有预约"):
        actions.booking_create(application=mine, slot=later, by=zz.applicant)


def test_publishing_checks_times(zz, travel):
    travel(at(2026, 9, 28, 9))
    with pytest.raises(InvalidInput, match="晚于现在"):
        actions.slot_publish(by=zz.account_manager, starts_at=at(2026, 9, 27, 9), ends_at=at(2026, 9, 27, 10))
    with pytest.raises(InvalidInput, match="晚于开始时间"):
        actions.slot_publish(by=zz.account_manager, starts_at=at(2026, 9, 29, 9), ends_at=at(2026, 9, 29, 9))
    with pytest.raises(Forbidden):
        actions.slot_publish(by=zz.applicant, starts_at=at(2026, 9, 29, 9), ends_at=at(2026, 9, 29, 10))
    actions.slot_publish(by=zz.account_manager, starts_at=at(2026, 9, 29, 9), ends_at=at(2026, 9, 29, 10))
    with pytest.raises(Conflict):
        actions.slot_publish(by=zz.account_manager, starts_at=at(2026, 9, 29, 9), ends_at=at(2026, 9, 29, 11))


def test_a_past_slot_cannot_be_booked(zz, slot, travel):
    mine = application_of(zz)
    travel(at(2026, 9, 30, 9, 30))
    with pytest.raises(Conflict, match="不再提供"):
        actions.booking_create(application=mine, slot=slot, by=zz.applicant)


def test_booking_and_cancelling_through_the_pages(zz, slot):
    mine = application_of(zz)
    manager = Client()
    manager.force_login(zz.account_manager)
    published = manager.post("/appointments/slots/", {"date": "2026-10-09", "time": "14:00", "minutes": "60",
                                                      "note": "验收前沟通"})
    assert published.status_code == 302
    bad = manager.post("/appointments/slots/", {"date": "2026-13-01", "time": "14:00", "minutes": "60"})
    assert bad.status_code == 422 and "date" in bad.content.decode()

    applicant = Client()
    applicant.force_login(zz.applicant)
    page = applicant.get(f"/appointments/{mine.pk}/").content.decode()
    assert "现场勘查" in page and "验收前沟通" in page
    assert applicant.post(f"/appointments/{mine.pk}/book/{slot.pk}", {"purpose": "看现场"}).status_code == 302
    booking = Booking.objects.get(cancelled_at__isnull=True)
    assert "看现场" in manager.get("/appointments/").content.decode()
    assert applicant.post(f"/appointments/bookings/{booking.pk}/cancel").status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_by == zz.applicant


def test_another_applicant_gets_404(zz, slot):
    mine = application_of(zz)
    booking = actions.booking_create(application=mine, slot=slot, by=zz.applicant)
    neighbour, _ = second_applicant(zz)
    client = Client()
    client.force_login(neighbour)
    assert client.get(f"/appointments/{mine.pk}/").status_code == 404
    assert client.post(f"/appointments/{mine.pk}/book/{slot.pk}").status_code == 404
    assert client.post(f"/appointments/bookings/{booking.pk}/cancel").status_code == 404
    booking.refresh_from_db()
    assert booking.cancelled_at is None
