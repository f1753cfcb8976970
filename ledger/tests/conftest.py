"""Ledger actors on top of the shared Shaanxi world: 西安市发改委 (the city's energy bureau,
officer erin) and the loaded ledgers."""
from types import SimpleNamespace

import pytest
import time_machine

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role
from conftest import BUILT_AT
from ledger.actions import ledger_load


@pytest.fixture
def ledgers(world):
    with time_machine.travel(BUILT_AT, tick=False):
        ledger_load()
        bureau = accounts.organisation_create(code="xian-fgw", name="西安市发展和改革委员会",
                                              kind=Organisation.Kind.ENERGY_BUREAU, division=world.divisions.xian)
        erin = accounts.user_create(username="erin", password=world.password, role=Role.GOV_OFFICER,
                                    organisation=bureau, display_name="王主任")
    return SimpleNamespace(world=world, bureau=bureau, erin=erin)
