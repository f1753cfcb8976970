"""A freshly migrated database is ready to answer: the official calendar and the bundled
policies are stored by `migrate` itself, and a second migrate changes nothing."""
from datetime import date

from django.core.management import call_command

from core.models import Event
from policies.models import PolicyVersion
from workdays import queries
from workdays.models import CalendarYear, Source


def test_migrate_stores_the_official_calendar_and_the_policies_once(db, settings):
    # Start from a database with no stored years, whatever an earlier test in this worker committed.
    CalendarYear.objects.all().delete()
    assert queries.deadline(start=date(2026, 9, 29), limit=5, unit="workday").provisional
    settings.LOAD_DATA_ON_MIGRATE = True

    call_command("migrate", verbosity=0)
    assert CalendarYear.objects.get(year=2026).source == Source.OFFICIAL
    assert {"zaozhuang", "zhejiang", "shaanxi"} <= set(PolicyVersion.objects.values_list("region", flat=True))
    answer = queries.deadline(start=date(2026, 9, 29), limit=5, unit="workday")
    assert (answer.due, answer.provisional) == (date(2026, 10, 12), False)
    logged = Event.objects.filter(verb__in=["calendar.imported", "policy.loaded"]).count()
    assert logged >= CalendarYear.objects.count() + 1
    everything = Event.objects.count()

    call_command("migrate", verbosity=0)  # again: nothing new is stored or logged
    assert Event.objects.count() == everything
