"""Ten applicants click the same free slot at the same moment: exactly one gets it."""
import threading

import pytest
from django.db import connection, connections

from accounts import actions as accounts
from accounts.roles import Role
from applications import actions as applications
from applications.actions import ApplicationInput
from applications.tests.conftest import at, person
from appointments import actions
from appointments.models import Booking
from core.errors import Conflict


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_one_slot_give_one_booking(zz, travel):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    travel(at(2026, 9, 28, 9))
    slot = actions.slot_publish(by=zz.account_manager, starts_at=at(2026, 9, 30, 9), ends_at=at(2026, 9, 30, 10))
    people = []
    for n in range(10):
        user = accounts.user_create(username=f"tez_racer{n}", password="correct-horse-42", role=Role.APPLICANT)
        application, _ = applications.application_create(
            by=user, data=ApplicationInput(**person(county=zz.county.code, site_address=f"台儿庄区古城路{n + 20}号")))
        people.append((user, application))
    barrier = threading.Barrier(len(people))
    booked, refused, errors = [], [], []

    def book(user, application):
        try:
            barrier.wait()
            booked.append(actions.booking_create(application=application, slot=slot, by=user).pk)
        except Conflict:
            refused.append(user.pk)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=pair) for pair in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(booked) == 1 and len(refused) == len(people) - 1
    assert Booking.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 1
