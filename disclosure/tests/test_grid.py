"""The grid sections of /public/shaanxi/ read the network and outage records: open capacity by
county and area from rated capacity and peak load, planned outages once approved, and this
year's SAIDI by month against the policy's targets."""
import re

from outages import actions as outages
from outages.readings import readings_import
from outages.tests.conftest import at, grid, travel  # noqa: F401 (fixtures)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_capacity_outages_and_reliability_come_from_the_records(client, grid, travel, tmp_path):  # noqa: F811
    readings = tmp_path / "readings.csv"
    readings.write_text(
        "equipment_type,equipment_code,quantity,at,value\n"
        "transformer,T1,load,2026-07-20T15:00:00+08:00,95.0\n"  # 630 kVA at 95 %: 31 kVA open, restricted
        "transformer,T2,load,2026-07-20T15:00:00+08:00,50.0\n",  # 400 kVA at 50 %: 200 kVA open
        encoding="utf-8")
    travel(at(2026, 8, 1, 9))
    readings_import(path=readings)
    planned = outages.outage_plan(by=grid.dan, county=grid.county, title="科技路1号公变检修", cause="maintenance",
                                  planned_start=at(2026, 8, 20, 8), planned_end=at(2026, 8, 20, 12),
                                  scopes=[("transformer", "T1")])
    before = text_of(client.get("/public/shaanxi/"))
    assert "科技路1号公变检修" not in before  # proposed, not yet approved: not public
    outages.outage_approve(outage=planned, by=grid.carol)
    shown = text_of(client.get("/public/shaanxi/"))
    assert "雁塔区 市区 2 1030 231" in shown  # T1 + T2: rated 1030 kVA, open 31 + 200
    assert "科技路1号公变" in shown.split("容量受限的配变")[1]
    assert "科技路1号公变检修" in shown and "2026-08-20 08:00" in shown
    assert "2026-07" in shown and "户均停电时间（小时）" in shown
    assert "配电网可开放容量数据尚未发布" not in shown
