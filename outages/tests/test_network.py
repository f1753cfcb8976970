"""The network import: all or nothing, errors with line and column; city groups county first."""
from pathlib import Path

import pytest

from accounts import actions as accounts
from core.errors import InvalidInput
from outages import network
from outages.models import Customer, Feeder, Transformer


def test_import_builds_the_topology(grid):
    assert Feeder.objects.count() == 2 and Transformer.objects.count() == 3 and Customer.objects.count() == 6
    c5 = grid.c("C5")
    assert c5.kind == "mv" and c5.transformer is None and c5.feeder.code == "F2"
    assert grid.c("C1").feeder.code == "F1"  # from its transformer
    assert Feeder.objects.get(code="F2").zone.name == "长安南路高可靠性供电示范区"
    assert Feeder.objects.get(code="F1").zone is None


def test_a_feeder_in_an_unknown_zone_is_refused_and_a_file_without_zones_keeps_them(grid, tmp_path: Path):
    path = tmp_path / "zones.csv"
    path.write_text("type,code,name,parent,county,area,zone\nfeeder,F1,科技路10kV线,S1,610113,urban,Z404\n",
                    encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        network.network_import(path=path)
    assert caught.value.fields == {"line 2.zone": "unknown zone 'Z404' (list it on an earlier line)"}
    path.write_text("type,code,name,parent,county,area\nfeeder,F2,长安南路10kV线,S1,610113,city_core\n",
                    encoding="utf-8")
    network.network_import(path=path)
    assert Feeder.objects.get(code="F2").zone.code == "Z1"


def test_a_bad_row_keeps_nothing_and_names_line_and_column(grid, tmp_path: Path):
    path = tmp_path / "more.csv"
    path.write_text("type,code,name,parent,county,area\n"
                    "transformer,T9,新公变,F1,610113,urban\n"
                    "customer_lv,C9,赵磊,T404,610113,urban\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        network.network_import(path=path)
    assert caught.value.fields == {"line 3.parent": "unknown transformer 'T404' (list it on an earlier line)"}
    assert not Transformer.objects.filter(code="T9").exists()


def test_bad_area_and_missing_column(grid, tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text("type,code,name,parent,county,area\nfeeder,F9,线,S1,610113,downtown\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 2, column area"):
        network.network_import(path=path)
    path.write_text("type,code,name,parent,county\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 1, column area: missing column"):
        network.network_import(path=path)


def test_cli_import_exits_2_on_a_bad_row(grid, tmp_path: Path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "bad.csv"
    path.write_text("type,code,name,parent,county,area\nsubstation,S2,站,,999999,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2, column county") as caught:
        call_command("network", "import", str(path))
    assert caught.value.returncode == 2


def test_city_group_is_resolved_county_first(db):
    sd = accounts.division_create(code="370000", name="山东省", level="province", policy_region="zaozhuang")
    zz = accounts.division_create(code="370400", name="枣庄市", level="city", parent=sd, city_group="other")
    tez = accounts.division_create(code="370405", name="台儿庄区", level="county", parent=zz,
                                   city_group="taierzhuang_gaoxin")
    shizhong = accounts.division_create(code="370402", name="市中区", level="county", parent=zz)
    assert network.city_group(tez) == "taierzhuang_gaoxin"
    assert network.city_group(shizhong) == "other"


def test_readings_feed_the_planners_lists(grid, tmp_path: Path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from outages import queries

    path = tmp_path / "readings.csv"
    path.write_text("equipment_type,equipment_code,quantity,at,value\n"
                    "transformer,T1,load,2026-07-20T14:00:00,112.5\n"
                    "transformer,T1,load,2026-07-20T15:00:00,98\n"
                    "feeder,F2,load,2026-07-20T14:00:00,104\n"
                    "transformer,T3,voltage,2026-07-20T19:00:00,186\n"
                    "transformer,T2,voltage,2026-07-20T19:00:00,221\n", encoding="utf-8")
    call_command("network", "readings", "import", str(path))
    call_command("network", "readings", "import", str(path))  # the same readings again: nothing doubles
    assert "imported 5 readings" in capsys.readouterr().out
    assert [(r["code"], r["readings_over"]) for r in queries.overloaded()] == [("T1", 1), ("F2", 1)]
    assert [(r["code"], r["readings_low"]) for r in queries.low_voltage()] == [("T3", 1)]
    path.write_text("equipment_type,equipment_code,quantity,at,value\ntransformer,T1,load,yesterday,50\n",
                    encoding="utf-8")
    with pytest.raises(CommandError, match="line 2, column at") as caught:
        call_command("network", "readings", "import", str(path))
    assert caught.value.returncode == 2


def test_repeated_faults_list(grid, time_machine):
    from outages import actions, queries
    from outages.tests.conftest import at

    for day in (3, 10, 17):
        time_machine.move_to(at(2026, 5, day, 10), tick=False)
        outage, _ = actions.fault_report(by=grid.dan, county=grid.county, cause="weather",
                                         scopes=[("transformer", "T3")])
        time_machine.move_to(at(2026, 5, day, 11), tick=False)
        actions.outage_restore(outage=outage, by=grid.dan)
    assert queries.repeated_faults(n=3, days=30) == [
        {"type": "transformer", "code": "T3", "name": "长安南路公变", "faults": 3}]
    assert queries.repeated_faults(n=4, days=30) == []
