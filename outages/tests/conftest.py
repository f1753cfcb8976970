"""A small Xi'an network (雁塔区) on the shared test world: one substation, two feeders,
three transformers, six customers (F2's three in a high-reliability zone) — two of them portal users, the rest contacts only."""
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts import actions as accounts
from accounts.roles import Role
from applications.tests.conftest import travel  # noqa: F401 (the shared fixture)
from outages import network
from outages.models import Customer

SHANGHAI = ZoneInfo("Asia/Shanghai")

NETWORK_CSV = """type,code,name,parent,county,area,ownership,capacity_kva,contact_name,contact_phone,contact_email,zone
zone,Z1,长安南路高可靠性供电示范区,,610113,,,,,,,
substation,S1,雁塔110kV变电站,,610113,,,,,,
feeder,F1,科技路10kV线,S1,610113,urban,,,,,
feeder,F2,长安南路10kV线,S1,610113,city_core,,,,,,Z1
transformer,T1,科技路1号公变,F1,610113,urban,public,630,,,
transformer,T2,科技路2号公变,F1,610113,urban,public,400,,,
transformer,T3,长安南路公变,F2,610113,city_core,public,800,,,
customer_lv,C1,王芳,T1,610113,urban,,,王芳,13800000001,
customer_lv,C2,李娜,T1,610113,urban,,,李娜,13800000002,
customer_lv,C3,张伟,T2,610113,urban,,,张伟,,zhangwei@example.cn
customer_lv,C4,刘洋,T3,610113,city_core,,,刘洋,13800000004,
customer_mv,C5,秦川机械,F2,610113,city_core,,,秦川机械,13800000005,
customer_lv,C6,无联系人,T3,610113,city_core,,,,,
"""


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def grid(world, tmp_path: Path):
    from conftest import BUILT_AT
    from policies.actions import policy_load

    with time_machine.travel(BUILT_AT, tick=False):
        policy_load()
        path = tmp_path / "network.csv"
        path.write_text(NETWORK_CSV, encoding="utf-8")
        network.network_import(path=path)
        dan = accounts.user_create(username="dan", password=world.password, role=Role.DISPATCHER,
                                   organisation=world.orgs.sgcc_yanta, display_name="雁塔运检调度")
    Customer.objects.filter(code="C1").update(user=world.alice)
    return SimpleNamespace(world=world, dan=dan, carol=world.carol, county=world.divisions.yanta,
                           c=lambda code: Customer.objects.get(code=code))
