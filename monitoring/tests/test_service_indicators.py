"""Service indicators on a small, hand-checked 台儿庄 October: four customers in the network,
two complaints, three planned works, three enterprises, and the cases that look handled
outside the system."""
from decimal import Decimal

import pytest
from django.test import Client

from applications import actions as app_actions
from applications.actions import ApplicationInput
from applications.tests.conftest import at
from complaints.actions import complaint_file
from monitoring import queries
from outages import actions as outage_actions
from outages import network
from outages.models import AvoidedOutage

pytestmark = pytest.mark.django_db

NETWORK_CSV = """type,code,name,parent,county,area,ownership,capacity_kva,contact_name,contact_phone,contact_email
substation,TS1,台儿庄110kV变电站,,370405,,,,,,
feeder,TF1,古城10kV线,TS1,370405,urban,,,,,
transformer,TT1,古城1号公变,TF1,370405,urban,public,630,,,
customer_lv,TC1,王芳,TT1,370405,urban,,,王芳,13800000001,
customer_lv,TC2,李娜,TT1,370405,urban,,,李娜,13800000002,
customer_lv,TC3,张伟,TT1,370405,urban,,,张伟,13800000003,
customer_lv,TC4,刘洋,TT1,370405,urban,,,刘洋,13800000004,
"""


def row(rows, code, dimension=""):
    return next(r for r in rows if r["code"] == code and r["dimension"] == dimension)


def enterprise(zz, travel, *, submitted, completed, name, size, evidence_date=None):
    """A 低压小微-style enterprise connection (acceptance, then works and connection)."""
    travel(submitted)
    data = ApplicationInput(county=zz.county.code, site_address=f"台儿庄区兴业路{name}", area_category="urban",
                            voltage_kv=Decimal("0.38"), capacity_kva=Decimal("80"), applicant_kind="enterprise",
                            applicant_name=name, uscc="91350100M000100Y43", enterprise_size=size, sanling=True,
                            channel="online")
    application, _ = app_actions.application_create(by=zz.applicant, data=data)
    app_actions.application_accept(application=application, by=zz.account_manager)
    travel(completed)
    app_actions.stage_complete(application=application, code="construction_connection", by=zz.installer,
                               result="已送电", evidence_date=evidence_date)
    return application


@pytest.fixture
def october(zz, travel, tmp_path):
    travel(at(2026, 10, 2, 9))
    path = tmp_path / "network.csv"
    path.write_text(NETWORK_CSV, encoding="utf-8")
    network.network_import(path=path)
    for text in ("客户经理未按约定时间上门", "送电后电压偏低"):
        complaint_file(by=zz.applicant, text=text, county=zz.county)
    # Three planned works: one outage goes ahead, one is replaced by live working, one by a load transfer.
    scopes = [("feeder", "TF1")]
    ahead = outage_actions.outage_plan(by=zz.supervisor, county=zz.county, title="古城线检修", cause="maintenance",
                                       planned_start=at(2026, 10, 20, 8), planned_end=at(2026, 10, 20, 12), scopes=scopes)
    outage_actions.outage_approve(outage=ahead, by=zz.supervisor)
    replaced = outage_actions.outage_plan(by=zz.supervisor, county=zz.county, title="古城线接火", cause="maintenance",
                                          planned_start=at(2026, 10, 22, 8), planned_end=at(2026, 10, 22, 12),
                                          scopes=scopes)
    outage_actions.outage_avoid(by=zz.supervisor, county=zz.county, method=AvoidedOutage.Method.LIVE_WORKING,
                                day=at(2026, 10, 22).date(), customers=4, hours="4", outage=replaced)
    outage_actions.outage_avoid(by=zz.supervisor, county=zz.county, method=AvoidedOutage.Method.LOAD_TRANSFER,
                                day=at(2026, 10, 23).date(), customers=4, hours="2")
    # 10-09 → 10-12: 10-10 (调休 Saturday) and 10-12 = 2 working days, within the 7 of 低压小微.
    covered = enterprise(zz, travel, submitted=at(2026, 10, 9, 9), completed=at(2026, 10, 12, 11), name="台儿庄酒业",
                         size="medium")
    # 10-09 → 10-26: 10-10, 10-12..16, 10-19..23, 10-26 = 12 working days: late, so not 省时.
    late = enterprise(zz, travel, submitted=at(2026, 10, 9, 9), completed=at(2026, 10, 26, 11), name="运河物流",
                      size="large", evidence_date=at(2026, 10, 8).date())
    # A small enterprise is outside the 大中型 measure whatever its service.
    enterprise(zz, travel, submitted=at(2026, 10, 9, 10), completed=at(2026, 10, 12, 15), name="古城茶社", size="small")
    travel(at(2026, 11, 2, 9))
    return covered, late


def test_complaints_per_10k_customers(october):
    rate = row(queries.indicators_show(region="zaozhuang", period="2026-10"), "complaints_per_10k")
    # 2 complaints over 4 customers in the network at the end of October.
    assert (rate["value"], rate["cases"], rate["unit"], rate["status"]) == (5000.0, 2, "per_10k", "n/a")
    november = row(queries.indicators_show(region="zaozhuang", period="2026-11"), "complaints_per_10k")
    assert november["value"] == 0.0


def test_share_of_planned_work_done_live(october):
    share = row(queries.indicators_show(region="zaozhuang", period="2026-10"), "live_work_share")
    # 1 live working out of 3 works (1 outage that went ahead + 2 done without an outage).
    assert (share["value"], share["cases"], share["status"]) == (33.33, 3, "n/a")


def test_sansheng_covers_the_large_and_medium_enterprises(october):
    rows = queries.indicators_show(region="zaozhuang", period="2026-10")
    sansheng = row(rows, "sansheng_share")
    policy = queries.scope_for(region="zaozhuang", period=queries.period_from("2026-10")).policy
    rule = policy["rules"]["sanling_sansheng"]
    # 2 large/medium enterprises, 1 on time, online and charged nothing; the small one is not counted.
    assert (sansheng["value"], sansheng["cases"], sansheng["target"]) == (50.0, 2, 100.0)
    assert sansheng["status"] == "missed" and sansheng["source"] == rule["source"]


def test_enterprise_size_is_refused_outside_the_national_classes(zz, travel):
    travel(at(2026, 10, 9, 9))
    client = Client()
    client.force_login(zz.applicant)
    body = dict(county=zz.county.code, site_address="台儿庄区兴业路1号", area_category="urban", voltage_kv="0.38",
                capacity_kva="80", applicant_kind="enterprise", applicant_name="台儿庄酒业", uscc="91350100M000100Y43",
                channel="online")
    bad = client.post("/api/v1/applications/", {**body, "enterprise_size": "huge"}, content_type="application/json")
    assert bad.status_code == 422 and "enterprise_size" in bad.json()["error"]["fields"]
    person = client.post("/api/v1/applications/", {**body, "applicant_kind": "person", "id_number": "11010519491231002X",
                                                   "enterprise_size": "large"}, content_type="application/json")
    assert person.status_code == 422 and "enterprise_size" in person.json()["error"]["fields"]
    good = client.post("/api/v1/applications/", {**body, "enterprise_size": "medium"}, content_type="application/json")
    assert good.status_code == 201 and good.json()["enterprise_size"] == "medium"


def test_off_system_suspects_are_counted_and_listed_by_rule(october, zz):
    rows = queries.indicators_show(region="zaozhuang", period="2026-10")
    policy = queries.scope_for(region="zaozhuang", period=queries.period_from("2026-10")).policy
    source = policy["rules"]["no_off_system"]["source"]
    no_application = row(rows, "off_system_suspects", "customer_without_application")
    # The four customers imported into the network in October have no application behind them.
    assert (no_application["value"], no_application["target"], no_application["status"]) == (4, 0.0, "missed")
    assert no_application["source"] == source
    # 运河物流's connection record is dated the day before it applied.
    assert row(rows, "off_system_suspects", "evidence_before_submission")["value"] == 1
    assert row(rows, "off_system_suspects", "submitted_after_works")["value"] == 0

    client = Client()
    client.force_login(zz.supervisor)
    page = client.get("/monitor/suspects/", {"region": "zaozhuang", "period": "2026-10"})
    html = page.content.decode()
    assert page.status_code == 200 and "现场记录日期早于申请日期" in html and "TC1" in html
    _covered, late = october
    assert late.number in html
    only = client.get("/monitor/suspects/", {"region": "zaozhuang", "period": "2026-10",
                                             "rule": "evidence_before_submission"}).content.decode()
    assert late.number in only and "TC1" not in only
    refused = client.get("/monitor/suspects/", {"region": "zaozhuang", "period": "2026-10", "rule": "guess"})
    assert "可选规则" in refused.content.decode()
    applicant = Client()
    applicant.force_login(zz.applicant)
    assert applicant.get("/monitor/suspects/", {"region": "zaozhuang", "period": "2026-10"}).status_code == 403
