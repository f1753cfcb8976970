"""Fixed actors for tests (healthchecks style): a small Shaanxi world with two utilities
serving the same county, so jurisdiction stories read plainly."""
import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role

PASSWORD = "correct-horse-42"


# Fixtures are built early in 2026 so a test can travel to any later date: the event log's
# time only moves forward.
BUILT_AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def world(db):
    with time_machine.travel(BUILT_AT, tick=False):
        return _build_world()


def _build_world():
    shaanxi = accounts.division_create(code="610000", name="陕西省", level="province", policy_region="shaanxi")
    xian = accounts.division_create(code="610100", name="西安市", level="city", parent=shaanxi, city_group="xian")
    yanta = accounts.division_create(code="610113", name="雁塔区", level="county", parent=xian)
    changan = accounts.division_create(code="610116", name="长安区", level="county", parent=xian)
    U = Organisation.Kind.UTILITY
    sgcc = accounts.organisation_create(code="sgcc-sx", name="国网陕西省电力有限公司", kind=U, division=shaanxi)
    sgcc_xian = accounts.organisation_create(code="sgcc-xian", name="国网西安供电公司", kind=U, division=xian, parent=sgcc)
    sgcc_yanta = accounts.organisation_create(code="sgcc-yanta", name="国网西安雁塔供电公司", kind=U, division=yanta, parent=sgcc_xian)
    sgcc_changan = accounts.organisation_create(code="sgcc-changan", name="国网西安长安供电公司", kind=U, division=changan, parent=sgcc_xian)
    local = accounts.organisation_create(code="sxdd", name="陕西省地方电力（集团）有限公司", kind=U, division=shaanxi)
    local_yanta = accounts.organisation_create(code="sxdd-yanta", name="陕西地电雁塔供电分公司", kind=U, division=yanta, parent=local)
    regulator = accounts.organisation_create(
        code="nea-nw", name="国家能源局西北监管局", kind=Organisation.Kind.REGULATOR, division=shaanxi
    )
    nature = accounts.organisation_create(
        code="xian-zrzy", name="西安市自然资源和规划局", kind=Organisation.Kind.GOV_DEPARTMENT, division=xian,
        department="natural_resources",
    )

    def user(name, role, org=None):
        return accounts.user_create(username=name, password=PASSWORD, role=role, organisation=org, display_name=name)

    return SimpleNamespace(
        divisions=SimpleNamespace(shaanxi=shaanxi, xian=xian, yanta=yanta, changan=changan),
        orgs=SimpleNamespace(sgcc=sgcc, sgcc_xian=sgcc_xian, sgcc_yanta=sgcc_yanta, sgcc_changan=sgcc_changan,
                             local=local, local_yanta=local_yanta, regulator=regulator, nature=nature),
        alice=user("alice", Role.APPLICANT),
        anna=user("anna", Role.APPLICANT),
        bob=user("bob", Role.ACCOUNT_MANAGER, sgcc_yanta),
        carol=user("carol", Role.SUPERVISOR, sgcc_yanta),
        dave=user("dave", Role.ACCOUNT_MANAGER, sgcc_changan),
        lena=user("lena", Role.ACCOUNT_MANAGER, local_yanta),
        xena=user("xena", Role.SUPERVISOR, sgcc_xian),
        rita=user("rita", Role.REGULATOR, regulator),
        gina=user("gina", Role.GOV_OFFICER, nature),
        root=user("root", Role.ADMIN, sgcc),
        password=PASSWORD,
    )
