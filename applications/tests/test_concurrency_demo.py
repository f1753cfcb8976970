import threading

import pytest
from django.db import connection, connections

from applications import actions, demo
from applications.models import Application
from applications.tests.conftest import person
from core import events
from core.models import OutboxMessage


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_creates_with_one_key_give_one_application(zz):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    data = actions.ApplicationInput(**person(county=zz.county.code))
    barrier = threading.Barrier(20)
    results, errors = [], []

    def create():
        try:
            barrier.wait()
            application, created = actions.application_create(by=zz.applicant, data=data, idempotency_key="same")
            results.append((application.pk, created))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Application.objects.count() == 1
    assert events.verify().ok


@pytest.mark.django_db
def test_demo_loads_through_the_actions_verifies_and_is_safe_twice(policies):
    world = demo.load(applications=40)
    assert world is not None
    assert Application.objects.count() == 40
    statuses = set(Application.objects.values_list("status", flat=True))
    assert "energised" in statuses and "in_progress" in statuses
    assert events.verify().ok
    # The demo's history told its people through the outbox, as the real actions do.
    told = set(OutboxMessage.objects.filter(channel="inapp").values_list("kind", flat=True))
    assert {"accepted", "stage_started", "stage_completed", "energised"} <= told, told
    messages = OutboxMessage.objects.count()
    assert demo.load(applications=40) is None
    assert Application.objects.count() == 40
    assert OutboxMessage.objects.count() == messages
    roles = {role for _, role, _ in demo.demo_logins()}
    assert {"applicant", "account_manager", "supervisor", "regulator", "gov_officer", "admin"} <= roles
