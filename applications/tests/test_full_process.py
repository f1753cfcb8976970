"""The whole process has its own deadline: Zaozhuang's 当日申请，次日接电 for LV customers with no
works bounds every stage from the application day, and the portal and the workbench show the
full-process due date wherever the policy sets one (Zhejiang's full-process limits too)."""
import datetime as dt

import pytest

from applications import queries, rules
from applications.models import Application
from applications.tests.conftest import at, enterprise, person
from applications.tests.test_flows import as_user, post, stage
from workdays import clock
from workdays.schedule import get_schedule

pytestmark = pytest.mark.django_db


def _next_day_due(application: Application, applied: dt.date) -> str:
    limit = rules.document(application.policy_version).next_day_connection.limit
    return clock.add(applied, int(limit.value), limit.unit, get_schedule()).isoformat()


def test_next_day_bounds_every_stage_from_the_application_day(zz, travel):
    travel(at(2026, 11, 27, 10))  # a Friday: applied today, to be connected "the next day"
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", person(county=zz.county.code, no_works=True)).json()["id"]
    travel(at(2026, 11, 30, 9))  # accepted only on Monday: the next-day promise still runs from Friday
    accepted = post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    application = Application.objects.get(pk=app_id)
    due = _next_day_due(application, dt.date(2026, 11, 27))
    assert due == "2026-11-30"  # Saturday is a rest day: the limit moves to Monday
    assert stage(accepted, "acceptance")["due_date"] == due
    last = accepted["stages"][-1]
    assert last["code"] == "construction_connection" and last["due_date"] == due
    assert {s["counts_from"] for s in accepted["stages"] if s["counts_from"]} == {"2026-11-27"}
    whole = queries.full_process(application, today=dt.date(2026, 11, 30), schedule=get_schedule())
    assert whole.next_day and whole.due.isoformat() == due and whole.within is None


def test_an_lv_customer_with_works_keeps_the_stage_limits(zz, travel):
    travel(at(2026, 11, 27, 10))
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", person(county=zz.county.code)).json()["id"]
    application = Application.objects.get(pk=app_id)
    assert queries.full_process(application, today=dt.date(2026, 11, 27), schedule=get_schedule()) is None
    total = rules.document(rules.version_in_force("zaozhuang", dt.date(2026, 11, 27))).categories[
        application.category].grid_side_limit
    acceptance = application.stages.get(seq=1)
    assert (acceptance.limit, acceptance.unit) == (int(total.value), total.unit)


def test_portal_and_workbench_show_the_full_process_due_date(zz, travel):
    travel(at(2026, 11, 27, 10))
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", person(county=zz.county.code, no_works=True)).json()["id"]
    portal = as_user(zz.applicant).get(f"/me/applications/{app_id}/")
    workbench = as_user(zz.account_manager).get(f"/work/applications/{app_id}/")
    for page in (portal, workbench):
        text = page.content.decode()
        assert page.status_code == 200
        assert "全流程（申请至接电）" in text and "当日申请，次日接电" in text
        assert "应于 <strong class=\"due\">2026-11-30</strong> 前接电" in text
    travel(at(2026, 12, 1, 9))  # not connected by Monday: the whole process is late
    text = as_user(zz.account_manager).get(f"/work/applications/{app_id}/").content.decode()
    assert "全流程超期" in text


def test_a_zhejiang_full_process_limit_is_shown_from_the_application_day(zj, travel):
    travel(at(2026, 11, 2, 10))
    body = enterprise(county=zj.county.code, site_address="西湖区文三路1号", voltage_kv="0.38", capacity_kva="50")
    app_id = post(as_user(zj.applicant), "/api/v1/applications/", body).json()["id"]
    application = Application.objects.get(pk=app_id)
    limit = rules.document(rules.version_in_force("zhejiang", dt.date(2026, 11, 2))).categories[
        application.category].full_process_limit
    whole = queries.full_process(application, today=dt.date(2026, 11, 2), schedule=get_schedule())
    assert not whole.next_day and (whole.limit, whole.unit) == (int(limit.value), limit.unit)
    assert whole.due == clock.add(dt.date(2026, 11, 2), int(limit.value), limit.unit, get_schedule())
    text = as_user(zj.applicant).get(f"/me/applications/{app_id}/").content.decode()
    assert "全流程（申请至接电）" in text and "当日申请" not in text
    assert f"应于 <strong class=\"due\">{whole.due.isoformat()}</strong> 前接电" in text
