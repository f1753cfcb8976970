"""Seeds bench/api.py's database through the real actions: one Zaozhuang county team and
N accepted applications (run in its own process, like `getpower shell`)."""
import sys
from datetime import timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402

from applications.tests.conftest import at, county_team, enterprise, person  # noqa: E402
from contracts.tests.conftest import accepted_application  # noqa: E402


def main(n: int) -> None:
    team = county_team(region="zaozhuang", province_code="370000", province="山东省", city_code="370400",
                       city="枣庄市", city_group="taierzhuang_gaoxin", county_code="370405", county="台儿庄区",
                       slug="tez")
    travellers = []

    def travel(moment):
        if travellers:
            travellers.pop().stop()
        travellers.append(time_machine.travel(moment, tick=False))
        travellers[-1].start()

    last = None
    for i in range(n):
        body = (enterprise(county=team.county.code, applicant_name=f"台儿庄企业{i}") if i % 2
                else person(county=team.county.code, applicant_name=f"居民{i}"))
        last = accepted_application(team, travel, body=body, when=at(2026, 9, 28, 8) + timedelta(minutes=i))
    travellers.pop().stop()
    print(team.account_manager.username, last.pk)


if __name__ == "__main__":
    main(int(sys.argv[1]))
