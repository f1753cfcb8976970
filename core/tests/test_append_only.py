"""The database itself refuses to change history, whoever asks and however."""
import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from core import events
from core.models import Event


def refused(action):
    # A savepoint, so PostgreSQL's aborted statement does not poison the test transaction.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        action()


def run_sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_orm_cannot_update_or_delete_an_event(history):
    paused = history.events[2]
    refused(lambda: Event.objects.filter(pk=paused.pk).update(verb="stage.resumed"))
    refused(lambda: Event.objects.filter(pk=paused.pk).delete())
    paused.data = {"reason": "customer_requested_date"}
    refused(lambda: paused.save())
    refused(lambda: Event.objects.get(pk=paused.pk).delete())

    assert Event.objects.get(pk=paused.pk).data["reason"] == "awaiting_documents"
    assert events.verify().ok


def test_raw_sql_cannot_update_or_delete_an_event(history):
    refused(lambda: run_sql("UPDATE core_event SET actor_label = 'carol'"))
    refused(lambda: run_sql("DELETE FROM core_event WHERE seq = %s", [history.events[-1].seq]))
    refused(lambda: run_sql("DELETE FROM core_event"))

    assert Event.objects.count() == history.events[-1].seq
    assert events.verify().ok


@pytest.mark.django_db(transaction=True)
def test_flush_wipes_the_whole_database_and_the_guard_stays():
    # Transactional tests flush between tests; on SQLite that is a DELETE the triggers would refuse.
    events.record(actor="job:test", verb="calendar.imported")
    call_command("flush", interactive=False, verbosity=0)
    assert not Event.objects.exists()

    restarted = events.record(actor="job:test", verb="calendar.imported")
    assert restarted.seq == 1
    refused(lambda: Event.objects.all().delete())
    assert events.verify().ok
