"""Applications from creation to energisation on the legal clock, through the API with time frozen."""
import datetime as dt

import pytest
from django.test import Client

from applications import rules
from applications.actions import stages_check_deadlines
from applications.models import Application, Escalation
from applications.tests.conftest import PASSWORD, at, enterprise, person
from core import events
from core.models import OutboxMessage
from workdays import clock
from workdays.schedule import get_schedule

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def stage(detail, code):
    return next(s for s in detail["stages"] if s["code"] == code)


def limit_of(application_id, code):
    application = Application.objects.get(pk=application_id)
    plan = {p.code: p for p in rules.stage_plan(application.policy_version, application.category,
                                                 application=application)}
    return plan[code]


def due(start, code, application_id, paused=0):
    plan = limit_of(application_id, code)
    base = clock.add(start, plan.limit, plan.unit, get_schedule())
    return clock.add(base, paused, "workday", get_schedule()) if paused else base


def test_lv_residential_in_zaozhuang_from_application_to_energised(zz, travel):
    travel(at(2026, 9, 29, 9))
    applicant = as_user(zz.applicant)
    response = post(applicant, "/api/v1/applications/", person(county=zz.county.code), **{"Idempotency-Key": "lv-1"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["category"] == "lv_residential"
    assert [s["code"] for s in created["stages"]] == ["acceptance"]
    app_id = created["id"]

    travel(at(2026, 9, 29, 15))
    accepted = post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    assert accepted["policy_version"] is not None
    assert [s["code"] for s in accepted["stages"]] == ["acceptance", "construction_connection"]
    works = stage(accepted, "construction_connection")
    # The seed gives the two LV stages no limits of their own: the 3-workday grid-side total binds,
    # counted from the application day.
    assert works["own_limit"] is False
    assert works["due_date"] == due(dt.date(2026, 9, 29), "construction_connection", app_id).isoformat()
    assert works["due_date"] == "2026-10-09"  # 9-30, 10-08, 10-09: 国庆 1–7 Oct skipped

    travel(at(2026, 10, 8, 11))
    done = post(as_user(zz.installer), f"/api/v1/applications/{app_id}/stages/construction_connection/complete",
                {"result": "已送电"}).json()
    assert done["status"] == "energised"
    assert done["grid_side_workdays"] == 2  # 9-30 and 10-08

    mine = applicant.get(f"/api/v1/applications/{app_id}").json()
    assert mine["status"] == "energised"
    assert [e["verb"] for e in mine["events"]][:2] == ["application.created", "application.accepted"]
    assert events.verify().ok


def test_hv10_single_scheme_reply_due_and_a_pause_that_moves_the_date(zz, travel):
    travel(at(2026, 9, 28, 10))
    response = post(as_user(zz.applicant), "/api/v1/applications/", enterprise(county=zz.county.code))
    app_id = response.json()["id"]
    assert response.json()["category"] == "hv10_single"

    travel(at(2026, 9, 29, 10))
    accepted = post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    assert accepted["project_manager"] == zz.project_manager.username  # 双经理 for HV
    scheme = stage(accepted, "scheme_reply")
    assert scheme["state"] == "active"
    # 5 workdays from 2026-09-29: 9-30, 10-08, 10-09, 10-10 (调休 Saturday), 10-12.
    assert scheme["due_date"] == due(dt.date(2026, 9, 29), "scheme_reply", app_id).isoformat() == "2026-10-12"
    assert "2026-10-10" in scheme["explain"]["counted"]

    travel(at(2026, 10, 9, 16))
    after_scheme = post(as_user(zz.designer), f"/api/v1/applications/{app_id}/stages/scheme_reply/complete",
                        {"result": "方案已答复"}).json()
    inspection = stage(after_scheme, "completion_inspection")
    original_due = dt.date.fromisoformat(inspection["due_date"])
    assert original_due == due(dt.date(2026, 10, 9), "completion_inspection", app_id)

    # The customer's own works are not finished: the grid-side clock stops.
    travel(at(2026, 10, 12, 9))
    paused = post(as_user(zz.inspector), f"/api/v1/applications/{app_id}/stages/completion_inspection/pause",
                  {"reason": "customer_works", "note": "受电工程未完工"}).json()
    assert stage(paused, "completion_inspection")["state"] == "paused"
    travel(at(2026, 10, 16, 9))
    resumed = post(as_user(zz.inspector), f"/api/v1/applications/{app_id}/stages/completion_inspection/resume").json()
    moved = stage(resumed, "completion_inspection")
    assert moved["paused_workdays"] == 4  # 10-13 .. 10-16
    assert moved["due_date"] == clock.add(original_due, 4, "workday", get_schedule()).isoformat()
    assert moved["pauses"][0]["reason"] == "customer_works"
    assert moved["pauses"][0]["workdays"] == 4

    # Completion inspection needs a second person (policy setting two_person_stages).
    url = f"/api/v1/applications/{app_id}/stages/completion_inspection/complete"
    missing = post(as_user(zz.inspector), url, {"result": "合格"})
    assert missing.status_code == 422
    assert "checked_by" in missing.json()["error"]["fields"]
    same = post(as_user(zz.inspector), url, {"result": "合格", "checked_by": zz.inspector.username})
    assert "checked_by" in same.json()["error"]["fields"]
    travel(at(2026, 10, 19, 10))
    ok = post(as_user(zz.inspector), url, {"result": "合格", "checked_by": zz.second_inspector.username,
                                           "checker_password": PASSWORD})
    assert ok.status_code == 200
    travel(at(2026, 10, 20, 10))
    final = post(as_user(zz.installer), f"/api/v1/applications/{app_id}/stages/connection/complete").json()
    assert final["status"] == "energised"
    assert events.verify().ok


def test_hv10_dual_warning_overdue_and_escalation_are_sent_once(zz, travel):
    travel(at(2026, 11, 2, 10))
    body = enterprise(county=zz.county.code, supply="dual", capacity_kva="2500", important=True)
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", body).json()["id"]
    accepted = post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    assert accepted["category"] == "hv10_dual"
    assert [s["code"] for s in accepted["stages"]] == [
        "acceptance", "scheme_reply", "design_review", "midway_inspection", "completion_inspection", "connection"]
    scheme_due = dt.date.fromisoformat(stage(accepted, "scheme_reply")["due_date"])

    # The day before the due date: ≤1 working day left → warning, assignee notified once.
    day_before = scheme_due - dt.timedelta(days=1)
    while not get_schedule().is_working(day_before):
        day_before -= dt.timedelta(days=1)
    travel(dt.datetime.combine(day_before, dt.time(8), tzinfo=at(2026, 1, 1).tzinfo))
    first = stages_check_deadlines()
    assert first["warning"] == 1 and first["notified"] == 1
    assert stages_check_deadlines()["notified"] == 0
    assert OutboxMessage.objects.filter(user=zz.designer, kind="warning", channel="inapp").count() == 1

    # After the due date: overdue, a 督办 to the county supervisor with its own deadline.
    late = scheme_due + dt.timedelta(days=1)
    while not get_schedule().is_working(late):
        late += dt.timedelta(days=1)
    travel(dt.datetime.combine(late, dt.time(8), tzinfo=at(2026, 1, 1).tzinfo))
    second = stages_check_deadlines()
    assert second["overdue"] == 1 and second["escalated"] == 1
    assert stages_check_deadlines()["escalated"] == 0
    escalation = Escalation.objects.get()
    assert escalation.supervisor == zz.supervisor
    n, unit = rules.escalation_limit(Application.objects.get(pk=app_id).policy_version)
    assert escalation.due_date == clock.add(late, n, unit, get_schedule())
    assert OutboxMessage.objects.filter(user=zz.supervisor, kind="escalated", channel="inapp").count() == 1
    listed = as_user(zz.supervisor).get("/api/v1/applications/?overdue=true").json()
    assert [item["id"] for item in listed["items"]] == [app_id]


def test_zhejiang_conditional_hv_has_three_stages_in_calendar_days(zj, travel):
    travel(at(2026, 11, 23, 10))
    body = enterprise(county=zj.county.code, site_address="西湖区文三路100号", capacity_kva="630", conditional=True)
    app_id = post(as_user(zj.applicant), "/api/v1/applications/", body).json()["id"]
    accepted = post(as_user(zj.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    assert accepted["category"] == "hv_conditional"
    assert [s["code"] for s in accepted["stages"]] == ["acceptance", "scheme_reply", "completion_connection"]
    scheme = stage(accepted, "scheme_reply")
    assert scheme["unit"] == "day"
    assert scheme["due_date"] == due(dt.date(2026, 11, 23), "scheme_reply", app_id).isoformat()
    for code, actor, day in (("scheme_reply", zj.designer, 30), ("completion_connection", zj.installer, 31)):
        travel(at(2026, 12, day, 10))
        body = ({"checked_by": zj.supervisor.username, "checker_password": PASSWORD}
                if code == "completion_connection" else {})
        response = post(as_user(actor), f"/api/v1/applications/{app_id}/stages/{code}/complete", body)
        assert response.status_code == 200, response.content
    assert Application.objects.get(pk=app_id).status == "energised"


def test_importing_the_official_year_recomputes_open_provisional_deadlines(zz, travel):
    from workdays.actions import calendar_import_csv

    travel(at(2026, 12, 28, 9))  # a Monday; 2027 is still provisional (元旦 1 day only)
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", enterprise(county=zz.county.code)).json()["id"]
    accepted = post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    scheme = stage(accepted, "scheme_reply")
    assert scheme["provisional"] is True
    provisional_due = dt.date.fromisoformat(scheme["due_date"])
    assert provisional_due == dt.date(2027, 1, 5)  # 12-29, 12-30, 12-31, 1-4, 1-5

    # The State Council notice (here: a made-up one) gives 4 January off as well.
    result = calendar_import_csv(text="date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n")
    assert result.recomputed == {"applications": 1}
    moved = as_user(zz.account_manager).get(f"/api/v1/applications/{app_id}").json()
    assert stage(moved, "scheme_reply")["due_date"] == "2027-01-06"
    assert stage(moved, "scheme_reply")["provisional"] is False
    assert moved["events"][-1]["verb"] == "stage.due_recomputed"
    assert events.verify().ok
