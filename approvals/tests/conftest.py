"""Approvals tests run on the real policy files and the official calendar."""
import pytest

from workdays.actions import calendar_sync
from workdays.models import CalendarYear, Source


@pytest.fixture
def loaded(db):
    from policies.actions import policy_load

    if not CalendarYear.objects.filter(source=Source.OFFICIAL).exists():
        calendar_sync()
    return policy_load()
