"""Two more corners of the world for application stories: a 台儿庄 county (Zaozhuang
policy) and a 西湖 county (Zhejiang policy), each with a full county team."""
import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role
from policies.actions import policy_load
from workdays.actions import calendar_sync
from workdays.models import CalendarYear, Source

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct-horse-42"
TEAM = [Role.ACCOUNT_MANAGER, Role.PROJECT_MANAGER, Role.DESIGNER, Role.INSPECTOR, Role.INSTALLER, Role.SUPERVISOR]


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def travel():
    """travel(datetime) freezes the clock there until the next call or the end of the test."""
    state = {}

    def go(moment):
        if "traveller" in state:
            state["traveller"].stop()
        state["traveller"] = time_machine.travel(moment, tick=False)
        state["traveller"].start()

    yield go
    if "traveller" in state:
        state["traveller"].stop()


@pytest.fixture
def policies(db):
    """Policies and the official calendar, as `make run` loads them (a transactional test
    elsewhere may have flushed the calendar)."""
    load_policies()


def load_policies() -> None:
    from conftest import BUILT_AT

    with time_machine.travel(BUILT_AT, tick=False):
        if not CalendarYear.objects.filter(source=Source.OFFICIAL).exists():
            calendar_sync()
        policy_load()


def county_team(**kwargs):
    from conftest import BUILT_AT

    with time_machine.travel(BUILT_AT, tick=False):
        return _county_team(**kwargs)


def _county_team(*, region, province_code, province, city_code, city, city_group, county_code, county, slug):
    U = Organisation.Kind.UTILITY
    p = accounts.division_create(code=province_code, name=province, level="province", policy_region=region)
    c = accounts.division_create(code=city_code, name=city, level="city", parent=p, city_group=city_group)
    k = accounts.division_create(code=county_code, name=county, level="county", parent=c)
    root = accounts.organisation_create(code=f"{slug}-root", name=f"{province}电力公司", kind=U, division=p)
    city_org = accounts.organisation_create(code=f"{slug}-city", name=f"{city}供电公司", kind=U, division=c, parent=root)
    county_org = accounts.organisation_create(code=f"{slug}-county", name=f"{county}供电公司", kind=U, division=k,
                                              parent=city_org)
    team = {
        role: accounts.user_create(username=f"{slug}_{role}", password=PASSWORD, role=role, organisation=county_org)
        for role in TEAM
    }
    team["second_inspector"] = accounts.user_create(username=f"{slug}_inspector2", password=PASSWORD,
                                                    role=Role.INSPECTOR, organisation=county_org)
    applicant = accounts.user_create(username=f"{slug}_customer", password=PASSWORD, role=Role.APPLICANT)
    return SimpleNamespace(county=k, org=county_org, applicant=applicant, **team)


@pytest.fixture
def zz(db, policies):
    return county_team(region="zaozhuang", province_code="370000", province="山东省", city_code="370400", city="枣庄市",
                       city_group="taierzhuang_gaoxin", county_code="370405", county="台儿庄区", slug="tez")


@pytest.fixture
def zj(db, policies):
    return county_team(region="zhejiang", province_code="330000", province="浙江省", city_code="330100", city="杭州市",
                       city_group="hangzhou_ningbo", county_code="330106", county="西湖区", slug="xh")


def person(**overrides):
    body = dict(site_address="台儿庄区古城路8号", area_category="urban", voltage_kv="0.22", capacity_kva="8",
                applicant_kind="person", applicant_name="王芳", id_number="11010519491231002X", residential=True,
                channel="online")
    return {**body, **overrides}


def enterprise(**overrides):
    body = dict(site_address="台儿庄区经济开发区兴业路1号", area_category="urban", voltage_kv="10", capacity_kva="800",
                applicant_kind="enterprise", applicant_name="台儿庄酒业有限公司", uscc="91350100M000100Y43",
                supply="single", channel="online")
    return {**body, **overrides}
