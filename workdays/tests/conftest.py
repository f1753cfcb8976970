import pytest

from workdays.actions import calendar_sync
from workdays.models import CalendarYear, Source


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the official years once per test database, as `make run` does with `calendar sync`."""
    with django_db_blocker.unblock():
        calendar_sync()


@pytest.fixture
def official_calendar(db):
    """The official years, also after a test elsewhere flushed the database."""
    if not CalendarYear.objects.filter(source=Source.OFFICIAL).exists():
        calendar_sync()
