"""Run by test_crash.py in its own process, on its own SQLite file: `setup` builds a 10 kV
application with a fee; `pay` pays it (and is killed mid-payment by the test)."""
import sys
from pathlib import Path

# The repository root, not this folder, comes first: `conftest` is the root one (fixed actors).
sys.path[0] = str(Path(__file__).resolve().parents[2])

import django  # noqa: E402

django.setup()

from applications import actions as applications  # noqa: E402
from applications.models import Fee  # noqa: E402
from applications.tests.conftest import at, county_team, enterprise  # noqa: E402
from contracts.tests.conftest import accepted_application  # noqa: E402
from payments import actions  # noqa: E402
from policies.actions import policy_load  # noqa: E402
from workdays.actions import calendar_sync  # noqa: E402


def setup() -> None:
    import time_machine

    from conftest import BUILT_AT

    with time_machine.travel(BUILT_AT, tick=False):
        calendar_sync()
        policy_load()
    team = county_team(region="zaozhuang", province_code="370000", province="山东省", city_code="370400",
                       city="枣庄市", city_group="taierzhuang_gaoxin", county_code="370405", county="台儿庄区",
                       slug="tez")
    travellers = []

    def travel(moment):
        if travellers:
            travellers.pop().stop()
        travellers.append(time_machine.travel(moment, tick=False))
        travellers[-1].start()

    application = accepted_application(team, travel, body=enterprise(county=team.county.code, supply="dual"))
    travel(at(2026, 9, 29, 9))
    fee = applications.fee_add(application=application, by=team.account_manager, item="高可靠性供电费",
                               amount="11300.00", basis="省发展改革委核定的高可靠性供电费标准")
    travellers.pop().stop()
    print(fee.pk)


def pay(fee_id: int, key: str) -> None:
    fee = Fee.objects.select_related("application__applicant_user").get(pk=fee_id)
    actions.fee_pay(fee=fee, by=fee.application.applicant_user, idempotency_key=key)
    print("completed")


if __name__ == "__main__":
    setup() if sys.argv[1] == "setup" else pay(int(sys.argv[2]), sys.argv[3])
