"""The database report equals the pure module on the same data; the CLI and the pages."""
import json
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outages import actions, queries, reliability
from outages.models import Customer, Interruption, Outage
from outages.tests.conftest import at

CUSTOMERS_CSV = """customer_id,transformer_id,feeder_id,county,area
c1,T1,F1,A,urban
c2,T1,F1,A,urban
c3,T2,F1,A,rural
c4,T3,F2,B,rural
"""
EVENTS_CSV = """event_id,kind,cause,start,end,scope_type,scope_id
e1,planned,maintenance,2024-01-10T08:00:00,2024-01-10T12:00:00,feeder,F1
e2,fault,equipment,2024-01-10T11:00:00,2024-01-10T13:00:00,transformer,T1
e3,fault,external,2023-12-31T22:00:00,2024-01-01T02:00:00,customer,c4
e4,fault,supply_shortage,2024-01-20T10:00:00,2024-01-20T11:30:00,transformer,T2
e5,fault,weather,2024-01-25T10:00:00,2024-01-25T10:02:00,feeder,F2
"""


def _files(tmp_path: Path, events: str = EVENTS_CSV) -> list[str]:
    (tmp_path / "customers.csv").write_text(CUSTOMERS_CSV, encoding="utf-8")
    (tmp_path / "interruptions.csv").write_text(events, encoding="utf-8")
    return ["reliability", "compute", "--customers", str(tmp_path / "customers.csv"),
            "--interruptions", str(tmp_path / "interruptions.csv"), "--from", "2024-01-01", "--to", "2024-01-31"]


def test_compute_prints_the_contract_keys(tmp_path, capsys, db):
    call_command(*_files(tmp_path), "--json")
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"customers", "period_hours", "saidi_hours", "saidi_excl_external_hours",
                        "saidi_excl_shortage_hours", "saifi", "caidi_hours", "rs1_percent", "short_interruptions",
                        "by_area", "by_county", "planned", "fault"}
    assert doc["saidi_hours"] == 4.375 and doc["period_hours"] == 744 and doc["short_interruptions"] == 1


@pytest.mark.parametrize("line, expected", [
    ("e9,fault,equipment,2024-01-10T13:00:00,2024-01-10T12:00:00,feeder,F1", "interruptions.csv:7: column end: before start"),
    ("e9,fault,equipment,2024-01-10 noon,2024-01-10T12:00:00,feeder,F1", "interruptions.csv:7: column start"),
    ("e9,fault,equipment,2024-01-10T11:00:00,2024-01-10T12:00:00,feeder,F404", "interruptions.csv:7: column scope_id"),
    ("e9,outage,equipment,2024-01-10T11:00:00,2024-01-10T12:00:00,feeder,F1", "interruptions.csv:7: column kind"),
])
def test_bad_rows_exit_2_naming_line_and_column(tmp_path, db, line, expected):
    with pytest.raises(CommandError) as caught:
        call_command(*_files(tmp_path, EVENTS_CSV + line + "\n"), "--json")
    assert caught.value.returncode == 2 and expected in str(caught.value)


def test_missing_column_exits_2(tmp_path, db):
    args = _files(tmp_path, "event_id,kind,cause,start,scope_type,scope_id\n")
    with pytest.raises(CommandError, match="interruptions.csv:1: column end: missing column") as caught:
        call_command(*args)
    assert caught.value.returncode == 2


def test_database_report_equals_the_pure_module(grid, travel):
    """Faults and plans through the actions, then the SQL report against reliability.report."""
    travel(at(2026, 3, 2, 9))
    plan = actions.outage_plan(by=grid.dan, county=grid.county, title="F1检修", cause="maintenance",
                               planned_start=at(2026, 3, 10, 8), planned_end=at(2026, 3, 10, 12),
                               scopes=[("feeder", "F1")])
    actions.outage_approve(outage=plan, by=grid.carol)
    travel(at(2026, 3, 10, 8))
    actions.outage_start(outage=plan, by=grid.dan)
    travel(at(2026, 3, 10, 11))
    fault, _ = actions.fault_report(by=grid.dan, county=grid.county, cause="equipment", scopes=[("transformer", "T1")])
    travel(at(2026, 3, 10, 12))
    actions.outage_restore(outage=plan, by=grid.dan)
    travel(at(2026, 3, 10, 13))
    actions.outage_restore(outage=fault, by=grid.dan)
    travel(at(2026, 4, 30, 23, 0))
    ext, _ = actions.fault_report(by=grid.dan, county=grid.county, cause="external", scopes=[("customer", "C4")])
    travel(at(2026, 5, 1, 1, 0))
    actions.outage_restore(outage=ext, by=grid.dan)
    travel(at(2026, 5, 2, 9, 0))
    short, _ = actions.fault_report(by=grid.dan, county=grid.county, cause="weather", scopes=[("feeder", "F2")])
    travel(at(2026, 5, 2, 9, 2))
    actions.outage_restore(outage=short, by=grid.dan)
    travel(at(2027, 1, 5, 9))

    customers = [reliability.Customer(str(c.pk), str(c.transformer_id), str(c.feeder_id), c.county.code, c.area)
                 for c in Customer.objects.select_related("county")]
    rows = [reliability.Interruption(str(r.customer_id), r.start_s, r.end_s, r.kind, r.cause)
            for r in Interruption.objects.all()]
    for lo, hi in ((datetime(2026, 1, 1), datetime(2027, 1, 1)), (datetime(2026, 5, 1), datetime(2026, 6, 1))):
        expected = reliability.report(customers, rows, period_start=reliability.seconds(lo),
                                      period_end=reliability.seconds(hi))
        got = queries.indices_doc(lo=reliability.seconds(lo), hi=reliability.seconds(hi), region="shaanxi")
        got.pop("_cells")
        assert got == expected
    doc = queries.reliability_report(year=2026, region="shaanxi")
    # C1, C2 08:00–13:00 (5 h each), C3 4 h, C4 2 h external across May 1st: 16 h over 6 customers.
    assert doc["saidi_hours"] == round(16 / 6, 6) and doc["short_interruptions"] == 3
    assert doc["by_month"]["2026-03"]["saidi_hours"] == round(14 / 6, 6)
    urban = next(t for t in doc["targets"] if t["area"] == "urban" and t["city_group"] == "xian")
    assert urban["target_hours"] == 2 and urban["saidi_hours"] == round(14 / 3, 6) and urban["met"] is False
    # The zone (F2: C4, C5, C6): C4's 2 h over 3 customers, against the policy's zone bound.
    from policies.queries import version_in_force

    bound = version_in_force(region="shaanxi").document["high_reliability_zones"]["saidi"]["value"]
    [zone] = doc["zones"]
    assert zone["code"] == "Z1" and zone["customers"] == 3 and zone["saidi_hours"] == round(2 / 3, 6)
    assert zone["target_hours"] == bound and zone["met"] is (bound >= 2 / 3)


def test_report_cli_and_pages(grid, travel, client, capsys):
    travel(at(2026, 3, 2, 9))
    plan = actions.outage_plan(by=grid.dan, county=grid.county, title="科技路线路检修", cause="maintenance",
                               planned_start=at(2026, 3, 10, 8), planned_end=at(2026, 3, 10, 12),
                               scopes=[("feeder", "F1")])
    call_command("reliability", "report", "--year", "2026", "--region", "shaanxi", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["customers"] == 6 and out["zones"][0]["name"] == "长安南路高可靠性供电示范区"
    with pytest.raises(CommandError, match="region"):
        call_command("reliability", "report", "--year", "2026", "--region", "atlantis")
    assert "科技路线路检修" not in client.get("/outages/public/").content.decode()  # not approved yet
    actions.outage_approve(outage=plan, by=grid.carol)
    public = client.get("/outages/public/?county=610113").content.decode()
    assert "科技路线路检修" in public and "科技路10kV线" in public and "雁塔区" in public
    client.force_login(grid.carol)
    page = client.get("/outages/reliability/?year=2026&region=shaanxi").content.decode()
    assert "chart.umd.js" in page and "户均停电时间" in page and "西安市 · 市区" in page
    zones = page.split('id="zones"')[1].split("</table>")[0]
    assert "长安南路高可靠性供电示范区" in zones and "雁塔区" in zones and "达标" in zones
    assert "urban" not in page.split("<main")[-1].split("reliability-data")[0]  # no raw codes before the JSON
    detail = client.get(f"/outages/{plan.pk}/").content.decode()
    assert "先算后停" in detail and "计划停电通知：2 户" in detail.replace(" ", "").replace("\n", "") or "计划停电通知" in detail
    client.force_login(grid.world.alice)
    assert "科技路线路检修" in client.get("/outages/mine/").content.decode()
    assert client.get("/outages/reliability/").status_code == 404


@pytest.mark.postgres
@pytest.mark.skipif(
    __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="monthly partitions are PostgreSQL's; SQLite keeps one plain table",
)
def test_interruptions_are_partitioned_by_month_on_postgresql(grid, travel):
    from django.db import connection

    travel(at(2026, 3, 10, 10))
    fault, _ = actions.fault_report(by=grid.dan, county=grid.county, cause="equipment", scopes=[("feeder", "F1")])
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'outages_interruption'::regclass")
        assert cur.fetchone()[0] == 21 * 12 + 1  # 2015–2035 by month, and a default partition
        cur.execute("SELECT count(*) FROM outages_interruption_y2026m03")
        assert cur.fetchone()[0] == 3
    assert Interruption.objects.filter(outage=fault).count() == 3


ROW = st.tuples(st.sampled_from(["C1", "C2", "C3", "C5"]), st.integers(-60, 290), st.integers(0, 90),
                st.sampled_from(["planned", "fault"]), st.sampled_from(["equipment", "external", "supply_shortage"]),
                st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.lists(ROW, max_size=10))
def test_sql_equals_the_pure_module_on_random_rows(grid, raw):
    """Overlaps, equal starts, touching ends, open interruptions, shorts and clipping alike."""
    Interruption.objects.all().delete()
    outage = Outage.objects.first() or Outage.objects.create(kind="fault", cause="equipment", status="active",
                                                             county=grid.county, title="随机")
    base = reliability.seconds(datetime(2026, 6, 1))
    now_s = base + 300 * 60
    customers = {c.code: c for c in Customer.objects.select_related("county")}
    rows = []
    for code, start, length, kind, cause, still_off in raw:
        c = customers[code]
        rows.append(Interruption(outage=outage, customer=c, county_id=c.county_id, area=c.area, kind=kind, cause=cause,
                                 start_s=base + start * 60,
                                 # Nothing ends after now; what is still off has no end yet.
                                 end_s=None if still_off else min(base + (start + length) * 60, now_s)))
    Interruption.objects.bulk_create(rows)
    queries.refresh_reach()
    lo, hi = base, base + 240 * 60
    pure_customers = [reliability.Customer(str(c.pk), str(c.transformer_id), str(c.feeder_id), c.county.code, c.area)
                      for c in customers.values()]
    pure_rows = [reliability.Interruption(str(r.customer_id), r.start_s, now_s if r.end_s is None else r.end_s,
                                          r.kind, r.cause) for r in rows]
    expected = reliability.report(pure_customers, pure_rows, period_start=lo, period_end=hi)
    got = queries.indices_doc(lo=lo, hi=hi, region="shaanxi", now_s=now_s)
    got.pop("_cells")
    assert got == expected


def test_staff_act_from_the_pages_with_chinese_errors(grid, travel, client):
    travel(at(2026, 3, 2, 9))
    plan = actions.outage_plan(by=grid.dan, county=grid.county, title="科技路线路检修", cause="maintenance",
                               planned_start=at(2026, 3, 5, 8), planned_end=at(2026, 3, 5, 12),
                               scopes=[("feeder", "F1")])
    client.force_login(grid.carol)
    page = client.post(f"/outages/{plan.pk}/approve", {"urgent_reason": ""}, follow=True).content.decode()
    assert "紧急原因" in page and Outage.objects.get(pk=plan.pk).status == "proposed"
    client.post(f"/outages/{plan.pk}/approve", {"urgent_reason": "变压器渗油须尽快处理"})
    assert Outage.objects.get(pk=plan.pk).status == "approved"
    client.force_login(grid.dan)
    page = client.post("/outages/faults/new", {"county": "610113", "cause": "supply_shortage", "scope_type": "feeder",
                                               "scope_code": "F2"}).content.decode()
    assert "有序用电方案" in page and not Outage.objects.filter(kind="fault").exists()
    response = client.post("/outages/faults/new", {"county": "610113", "cause": "equipment", "scope_type": "feeder",
                                                   "scope_code": "F2", "title": "长安南路线跳闸"})
    fault = Outage.objects.get(kind="fault")
    assert response.status_code == 302 and fault.customers_affected == 3
    travel(at(2026, 3, 2, 10))
    client.post(f"/outages/{fault.pk}/restore")
    assert Outage.objects.get(pk=fault.pk).status == "ended"


def test_the_monitoring_saidi_indicator_measures_each_zone(grid, travel):
    """monitoring's 户均停电时间 indicator: the zone's own SAIDI against high_reliability_zones, not n/a."""
    from monitoring import indicators, judge
    from monitoring.periods import parse
    from monitoring.queries import measures
    from policies.queries import version_in_force

    travel(at(2026, 5, 2, 9, 0))
    fault, _ = actions.fault_report(by=grid.dan, county=grid.county, cause="equipment", scopes=[("feeder", "F2")])
    travel(at(2026, 5, 2, 12, 0))
    actions.outage_restore(outage=fault, by=grid.dan)
    policy = version_in_force(region="shaanxi").document
    scope = indicators.Scope(region="shaanxi", period=parse("2026"), policy=policy)
    [zone] = [m for m in measures(scope, ["saidi"]) if m.dimension.startswith("high_reliability_zones")]
    assert zone.dimension == "high_reliability_zones.Z1" and zone.name.endswith("长安南路高可靠性供电示范区")
    assert zone.value == 3.0 and zone.cases == 3  # 3 h for each of F2's three customers
    assert zone.target == policy["high_reliability_zones"]["saidi"]["value"]
    assert zone.status == (judge.MET if zone.value <= zone.target else judge.MISSED)


def test_a_zone_counts_what_is_still_off_and_what_crosses_the_year(grid, travel):
    """The clipped rows (still open, or begun last year) of the zone's customers only."""
    travel(at(2025, 12, 31, 23, 0))
    old, _ = actions.fault_report(by=grid.dan, county=grid.county, cause="weather", scopes=[("customer", "C5")])
    travel(at(2026, 1, 1, 1, 0))
    actions.outage_restore(outage=old, by=grid.dan)
    travel(at(2026, 6, 1, 10, 0))
    actions.fault_report(by=grid.dan, county=grid.county, cause="equipment", scopes=[("transformer", "T3")])
    actions.fault_report(by=grid.dan, county=grid.county, cause="equipment", scopes=[("transformer", "T1")])
    now_s = reliability.seconds(datetime(2026, 6, 1, 12, 0))
    [zone] = queries.zone_rows(year=2026, region="shaanxi", now_s=now_s)
    # C5 1 h of 2026; C4 and C6 (T3) 2 h each so far; T1 is outside the zone.
    assert zone["saidi_hours"] == round(5 / 3, 6) and zone["saifi"] == 1.0
