import pytest
import time_machine

from applications.tests.conftest import policies  # noqa: F401 (fixture: policies and the official calendar)
from conftest import BUILT_AT


@pytest.fixture
def published(policies):  # noqa: F811
    from disclosure.actions import documents_load

    with time_machine.travel(BUILT_AT, tick=False):
        documents_load()
