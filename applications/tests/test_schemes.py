"""Supply schemes, on-site reply, transitional scheme with its upgrade project, fees, 三零 and 次日接电."""
import datetime as dt

import pytest

from applications import rules
from applications.models import Application
from applications.tests.conftest import at, county_team, enterprise, person
from applications.tests.test_flows import as_user, post, stage
from workdays import clock
from workdays.schedule import get_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def sx(db, policies):
    return county_team(region="shaanxi", province_code="610000", province="陕西省", city_code="610100", city="西安市",
                       city_group="xian", county_code="610113", county="雁塔区", slug="yt")


def accepted_hv(team, travel, **overrides):
    travel(at(2026, 11, 23, 9))
    body = enterprise(**{"county": team.county.code, "site_address": "雁塔区科技路10号", "capacity_kva": "1000",
                         **overrides})
    app_id = post(as_user(team.applicant), "/api/v1/applications/", body).json()["id"]
    post(as_user(team.account_manager), f"/api/v1/applications/{app_id}/accept")
    return app_id


def scheme(label, boundary="connection_point", customer="120000", utility="80000"):
    return {"label": label, "connection_point": "10kV科技线#12杆", "boundary": boundary, "customer_cost": customer,
            "utility_cost": utility}


def test_optional_schemes_and_the_applicants_choice(sx, travel):
    app_id = accepted_hv(sx, travel)
    url = f"/api/v1/applications/{app_id}/schemes"
    response = post(as_user(sx.designer), url, {"schemes": [scheme("方案一"), scheme("方案二", customer="90000")]})
    assert response.status_code == 200, response.content
    assert [s["label"] for s in response.json()["schemes"]] == ["方案一", "方案二"]
    bad = post(as_user(sx.designer), url, {"schemes": [scheme("方案三", boundary="to_the_moon")]})
    assert bad.status_code == 422 and "schemes[0].boundary" in bad.json()["error"]["fields"]
    chosen = post(as_user(sx.applicant), f"/api/v1/applications/{app_id}/schemes/choose", {"label": "方案二"}).json()
    assert [s["label"] for s in chosen["schemes"] if s["chosen"]] == ["方案二"]


def test_onsite_reply_completes_the_scheme_stage_where_the_policy_allows(sx, travel):
    app_id = accepted_hv(sx, travel)  # 10 kV single supply, 1000 kVA: Shaanxi allows 现场答复
    assert rules.onsite_reply_allowed(Application.objects.get(pk=app_id))
    travel(at(2026, 11, 24, 10))
    done = post(as_user(sx.designer), f"/api/v1/applications/{app_id}/schemes",
                {"schemes": [scheme("现场方案")], "onsite": True}).json()
    assert stage(done, "scheme_reply")["state"] == "done"
    assert done["current_stage"] != "scheme_reply"


def test_onsite_reply_is_refused_beyond_the_policy(sx, travel):
    app_id = accepted_hv(sx, travel, capacity_kva="2000")  # above the on-site threshold
    response = post(as_user(sx.designer), f"/api/v1/applications/{app_id}/schemes",
                    {"schemes": [scheme("现场方案")], "onsite": True})
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_in_policy"


def test_transitional_scheme_opens_a_tracked_upgrade_project(sx, travel):
    app_id = accepted_hv(sx, travel)
    post(as_user(sx.designer), f"/api/v1/applications/{app_id}/schemes",
         {"schemes": [scheme("过渡方案")], "transitional": True})
    pm = as_user(sx.project_manager)
    opened = post(pm, f"/api/v1/applications/{app_id}/projects",
                  {"kind": "upgrade", "name": "科技路配变增容改造", "planned_end": "2027-03-31"}).json()
    project = opened["grid_projects"][0]
    updated = post(pm, f"/api/v1/applications/{app_id}/projects/{project['id']}",
                   {"filed_on": "2026-11-25", "construction_start": "2026-12-01"}).json()
    assert updated["grid_projects"][0]["construction_start"] == "2026-12-01"
    bad = post(pm, f"/api/v1/applications/{app_id}/projects/{project['id']}", {"construction_end": "2026-11-01"})
    assert bad.status_code == 422 and "construction_end" in bad.json()["error"]["fields"]


def test_zero_investment_customer_is_never_charged_for_works(sx, travel):
    travel(at(2026, 11, 23, 9))
    body = person(county=sx.county.code, applicant_kind="enterprise", applicant_name="雁塔小超市",
                  uscc="91350100M000100Y43", id_number="", residential=False, sanling=True, voltage_kv="0.38",
                  capacity_kva="100", site_address="雁塔区小寨路1号")
    app_id = post(as_user(sx.applicant), "/api/v1/applications/", body).json()["id"]
    accepted = post(as_user(sx.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    assert accepted["category"] == "lv_sanling"
    assert accepted["zero_investment"] is True
    # A works charge is in no region's fee catalogue: refused, whatever basis is typed.
    fee = post(as_user(sx.account_manager), f"/api/v1/applications/{app_id}/fees",
               {"item": "接户线工程", "amount": "3000"})
    assert fee.status_code == 400 and fee.json()["error"]["code"] == "not_in_policy"
    assert "item" in fee.json()["error"]["fields"]
    ok = post(as_user(sx.account_manager), f"/api/v1/applications/{app_id}/fees",
              {"item": "高可靠性供电费", "amount": "500"})
    assert ok.status_code == 200 and ok.json()["fees"][0]["item"] == "高可靠性供电费"


def test_no_works_lv_accepted_today_is_connected_the_next_working_day(zz, travel):
    travel(at(2026, 11, 27, 10))  # a Friday; Zaozhuang promises 当日申请，次日接电
    body = person(county=zz.county.code, no_works=True)
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", body).json()["id"]
    accepted = post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    connection = stage(accepted, accepted["stages"][-1]["code"])
    version = Application.objects.get(pk=app_id).policy_version
    next_day = rules.document(version).next_day_connection
    assert connection["due_date"] == clock.add(dt.date(2026, 11, 27), int(next_day.limit.value),
                                               next_day.limit.unit, get_schedule()).isoformat()
    assert connection["due_date"] == "2026-11-30"  # the Monday
