"""Indicators on a small, hand-checked Zaozhuang story: two residential LV connections in
October 2026, one on time and one late, measured against the policy's own limits."""
import json
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from applications import actions as app_actions
from applications.actions import ApplicationInput
from applications.tests.conftest import at
from core.models import Event
from monitoring import queries
from monitoring.actions import facts_refresh, snapshots_take
from monitoring.models import ApplicationFact, Snapshot
from policies.queries import version_in_force

pytestmark = pytest.mark.django_db


def lv_home(zz, travel, *, submitted, completed, name="王芳", **facts):
    travel(submitted)
    data = ApplicationInput(county=zz.county.code, site_address=f"台儿庄区古城路{name}号", area_category="urban",
                            voltage_kv=Decimal("0.22"), capacity_kva=Decimal("8"), applicant_kind="person",
                            applicant_name=name, id_number="11010519491231002X", residential=True, channel="online",
                            **facts)
    application, _ = app_actions.application_create(by=zz.applicant, data=data)
    app_actions.application_accept(application=application, by=zz.account_manager)
    travel(completed)
    app_actions.stage_complete(application=application, code="construction_connection", by=zz.installer,
                               result="已送电")
    return application


@pytest.fixture
def october(zz, travel):
    # 9-29 → 10-08: working days 9-30 and 10-08 (国庆 1–7 Oct skipped) = 2, within 3.
    on_time = lv_home(zz, travel, submitted=at(2026, 9, 29, 9), completed=at(2026, 10, 8, 11))
    # 10-09 → 10-20: Saturday 10-10 (a 调休 working day), 10-12..16, 10-19, 10-20 = 8 working days.
    late = lv_home(zz, travel, submitted=at(2026, 10, 9, 9), completed=at(2026, 10, 20, 11), name="李强")
    travel(at(2026, 11, 2, 9))
    return on_time, late


def row(rows, code, dimension=""):
    return next(r for r in rows if r["code"] == code and r["dimension"] == dimension)


def test_facts_hold_each_case_in_working_and_calendar_days(october):
    on_time, late = october
    assert facts_refresh() == 2
    first, second = ApplicationFact.objects.get(pk=on_time.pk), ApplicationFact.objects.get(pk=late.pk)
    assert (first.grid_side_workdays, first.grid_side_days) == (2, 9)
    assert (second.grid_side_workdays, second.grid_side_days) == (8, 11)
    assert (second.full_process_workdays, second.full_process_days) == (8, 11)
    assert second.stages_late == 1 and first.stages_late == 0
    assert facts_refresh() == 0  # closed cases are final: nothing to redo


def test_october_grid_side_time_against_the_3_day_limit(october):
    policy = version_in_force(region="zaozhuang", on=at(2026, 10, 31).date()).document
    limit = policy["categories"]["lv_residential"]["grid_side_limit"]
    rows = queries.indicators_show(region="zaozhuang", period="2026-10")
    average = row(rows, "grid_side_avg", "lv_residential")
    assert average["value"] == 5.0 and average["target"] == limit["value"] and average["unit"] == limit["unit"]
    assert average["status"] == "missed" and average["source"] == limit["source"]
    assert row(rows, "grid_side_p90", "lv_residential")["value"] == 8
    within = row(rows, "grid_side_within_share", "lv_residential")
    assert (within["value"], within["target"], within["status"], within["cases"]) == (50.0, 100.0, "missed", 2)
    # Both were filed online; Zaozhuang sets no online-rate target: measured, never judged.
    online = row(rows, "online_share")
    assert (online["value"], online["status"]) == (100.0, "n/a")
    # A category with a limit but no case this month is n/a, not "met".
    assert row(rows, "grid_side_avg", "hv10_dual")["status"] == "n/a"
    assert {r["status"] for r in rows} <= {"met", "at_risk", "missed", "n/a"}


def test_september_shows_no_case_and_the_quarter_shows_both(october):
    assert row(queries.indicators_show(region="zaozhuang", period="2026-09"), "grid_side_avg",
               "lv_residential")["value"] is None
    assert row(queries.indicators_show(region="zaozhuang", period="2026Q4"), "grid_side_within_share",
               "lv_residential")["cases"] == 2


def test_command_prints_the_contract_keys_and_refuses_bad_arguments(october, capsys):
    call_command("indicators", "show", "--region", "zaozhuang", "--period", "2026-10", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert {"code", "name", "unit", "value", "target", "direction", "status", "source"} <= set(rows[0])
    for args, option in [(["--period", "2026-13"], "--period"), (["--period", "2026-10", "--county", "999999"], "--county")]:
        with pytest.raises(CommandError) as caught:
            call_command("indicators", "show", "--region", "zaozhuang", *args)
        assert caught.value.returncode == 2 and str(caught.value).startswith(option)
    with pytest.raises(CommandError) as caught:
        call_command("indicators", "show", "--region", "atlantis", "--period", "2026-10")
    assert caught.value.returncode == 2 and "--region" in str(caught.value)


def test_api_answers_the_same_rows_within_the_users_jurisdiction(october, zz):
    client = Client()
    assert client.get("/api/v1/indicators/", {"region": "zaozhuang", "period": "2026-10"}).status_code == 401
    client.force_login(zz.supervisor)
    answer = client.get("/api/v1/indicators/", {"region": "zaozhuang", "period": "2026-10"})
    assert answer.status_code == 200
    assert row(answer.json(), "grid_side_within_share", "lv_residential")["value"] == 50.0
    bad = client.get("/api/v1/indicators/", {"region": "zaozhuang", "period": "2026Q9"})
    assert bad.status_code == 422 and "period" in bad.json()["error"]["fields"]
    applicant = Client()
    applicant.force_login(zz.applicant)
    assert applicant.get("/api/v1/indicators/", {"region": "zaozhuang", "period": "2026-10"}).status_code == 404


def test_a_correction_supersedes_the_snapshot_and_is_logged(october, zz, travel):
    first = snapshots_take(region="zaozhuang", period="2026-10")
    assert first.stored > 0 and first.corrected == 0
    again = snapshots_take(region="zaozhuang", period="2026-10")
    assert (again.stored, again.corrected) == (0, 0)
    # A third late-October case changes the month's figures after the snapshot.
    lv_home(zz, travel, submitted=at(2026, 10, 26, 9), completed=at(2026, 10, 28, 11), name="张伟")
    travel(at(2026, 11, 3, 9))
    corrected = snapshots_take(region="zaozhuang", period="2026-10")
    assert corrected.corrected >= 1
    history = Snapshot.objects.filter(region="zaozhuang", period="2026-10", code="grid_side_within_share",
                                      dimension="lv_residential").order_by("taken_at")
    assert [s.value for s in history] == [50.0, round(200 / 3, 2)]
    assert [s.current for s in history] == [False, True]
    assert Event.objects.filter(verb="indicators.corrected").exists()


def test_dashboard_shows_targets_in_chinese_and_drills_down_to_the_cases(october, zz):
    client = Client()
    client.force_login(zz.supervisor)
    page = client.get("/monitor/", {"region": "zaozhuang", "period": "2026-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "电网环节逐案不超时限的比例" in html and "未达标" in html and "区县排名" in html
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", html, flags=re.S))
    assert "grid_side" not in text and "lv_residential" not in text  # codes only inside links, never as text
    cases = client.get("/monitor/cases/", {"region": "zaozhuang", "period": "2026-10", "category": "lv_residential",
                                           "late": "stage"})
    assert cases.status_code == 200
    body = cases.content.decode()
    late = ApplicationFact.objects.get(stages_late=1).application.number
    on_time = ApplicationFact.objects.get(stages_late=0).application.number
    assert late in body and on_time not in body
    bad = client.get("/monitor/", {"region": "zaozhuang", "period": "2026-13"})
    assert bad.status_code == 200 and "月份须在" in bad.content.decode()


def test_an_applicant_may_not_see_the_dashboard(october, zz):
    client = Client()
    client.force_login(zz.applicant)
    assert client.get("/monitor/", {"region": "zaozhuang", "period": "2026-10"}).status_code == 403


def test_the_task_ledger_shows_the_live_average(october, travel):
    from ledger.live import value_for

    travel(at(2026, 11, 2, 9))
    live = value_for(region="zaozhuang", target={"code": "grid_side_days_avg", "params": {"category": "lv_residential"}})
    assert (live.value, live.unit, live.sample) == (5.0, "workday", 2)
    assert value_for(region="zaozhuang", target={"code": "grid_side_days_avg",
                                                 "params": {"category": "hv35_dual"}}) is None


def test_stage_count_is_measured_against_the_promised_cap(october):
    policy = version_in_force(region="zaozhuang", on=at(2026, 10, 31).date()).document
    cap = policy["categories"]["lv_residential"].get("max_stages")
    rows = queries.indicators_show(region="zaozhuang", period="2026-10")
    count = row(rows, "stage_count", "lv_residential")
    # Both October cases ran acceptance + 施工接电: two stages each, within the LV promise.
    assert (count["value"], count["target"], count["status"]) == (2.0, float(cap["value"]), "at_risk")
