"""The three task tables as data: counts, the corrected rows, deadlines and units of every row."""
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from ledger import catalogue
from ledger.units import UNITS

ledgers = catalogue.read_all()


def test_each_seed_table_is_there_row_for_row():
    assert {region: [t.number for t in ledger.tasks] for region, ledger in ledgers.items()} == {
        "zaozhuang": list(range(1, 69)),
        "zhejiang": list(range(1, 67)),
        "shaanxi": list(range(1, 61)),
    }


def _seed_lines(ledger):
    # The seeds sit next to the checkout (../shared/seeds), or two levels up for a worktree.
    base = Path(settings.BASE_DIR)
    for root in (base.parent, base.parent.parent):
        if (root / "shared" / "seeds" / ledger.seed).exists():
            return root / "shared" / "seeds" / ledger.seed
    return base / "missing" / ledger.seed


@pytest.mark.parametrize("region", ["zaozhuang", "zhejiang", "shaanxi"])
def test_every_task_text_is_the_seed_text_verbatim(region):
    ledger = ledgers[region]
    seed = _seed_lines(ledger)
    if not seed.exists():
        pytest.skip("seeds not on this machine")
    text = seed.read_text(encoding="utf-8")
    for row in ledger.tasks:
        assert row.task in text, row.number
        assert row.responsible in text and row.deadline in text, row.number


def test_zhejiang_row_51_is_empty_and_rows_22_and_52_are_corrected_with_a_note():
    rows = {t.number: t for t in ledgers["zhejiang"].tasks}
    assert rows[51].empty and not rows[51].task and rows[51].note
    assert rows[22].task.startswith("10（20）千伏项目审批时间压减至7天内")
    assert rows[22].responsible == "各地电力主管部门" and rows[22].deadline == "2021年底前"
    assert rows[22].area == "提升办电效率" and "左移" in rows[22].note
    assert rows[52].area == "加大信息公开力度" and "加大 息开 公力 度" in rows[52].note
    assert sum(t.empty for t in ledgers["zhejiang"].tasks) == 1
    assert not any(t.empty for region in ("zaozhuang", "shaanxi") for t in ledgers[region].tasks)


def test_deadline_kinds_match_the_seeds():
    from ledger.deadlines import parse_deadline

    kinds = {r: Counter(parse_deadline(t.deadline).kind.value for t in book.tasks if not t.empty) for r, book in ledgers.items()}
    assert kinds["zaozhuang"] == {"date": 22, "done_ongoing": 22, "ongoing": 24}
    assert kinds["zhejiang"] == {"date": 27, "done_ongoing": 10, "ongoing": 28}
    assert kinds["shaanxi"] == {"date": 41, "ongoing": 19}


def test_every_responsible_text_maps_to_known_units_and_lead_units_come_first():
    for ledger in ledgers.values():
        for row in ledger.tasks:
            assert set(row.units) <= set(UNITS)
    sx = {t.number: t for t in ledgers["shaanxi"].tasks}
    assert sx[58].units == ["regulator"]
    assert sx[17].lead == ["energy_bureau_city"] and set(sx[17].units) >= {"utility_state_grid", "utility_local"}
    zz = {t.number: t for t in ledgers["zaozhuang"].tasks}
    assert zz[5].units == ["energy_bureau", "gov_departments"]


def test_shaanxi_categories_interleaved_with_rows_are_carried_down():
    areas = {t.number: t.area for t in ledgers["shaanxi"].tasks}
    assert areas[1] == areas[12] == "工作目标"
    assert areas[13] == areas[16] == "压减电力接入工程审批时间"
    assert areas[22] == "压减用电报装业务办理时间" and areas[60] == "做好总结推广"


def test_quantified_tasks_name_their_indicator_in_the_seeds_own_units():
    zz = {t.number: t for t in ledgers["zaozhuang"].tasks}
    assert [(i.code, i.value, i.unit, i.params["category"]) for i in zz[3].indicator] == [
        ("grid_side_days_avg", 11, "workday", "hv10_single"), ("grid_side_days_avg", 18, "workday", "hv10_dual")]
    zj = {t.number: t for t in ledgers["zhejiang"].tasks}
    assert {i.unit for i in zj[1].indicator} == {"workday", "day"}  # mixed in one row, as the seed writes
    assert sum(t.indicator is not None for book in ledgers.values() for t in book.tasks) == 5 + 10 + 8


def test_a_broken_file_names_the_row(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text(
        "region: x\nseed: s.txt\ntable: t\ncolumns: []\ntasks:\n"
        "- {number: 1, area: a, task: t, responsible: r, deadline: 尽快, units: [utility]}\n",
        encoding="utf-8",
    )
    with pytest.raises(catalogue.LedgerDataError, match="尽快"):
        catalogue.read_ledger(bad)
