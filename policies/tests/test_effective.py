"""One effective-date rule (policies.effective) for every version of every region, checked over
every form the seeds write, against each version's declared deadlines, and against the
deadline each item of a version cites (its quoted words, or the ledger row it names)."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from policies import citations, effective
from policies.loader import PolicyError, load_dir
from policies.tests.conftest import read_raw
from policies.tests.test_data import REGIONS

FIRST = date(2020, 1, 1)
spaces = st.sampled_from(["", " "])


@given(year=st.integers(1990, 2099), month=st.integers(1, 12), day=st.integers(1, 28), gap=spaces,
       form=st.sampled_from(["年底前", "年底", "年{m}月底前", "年{m}月底", "年{m}月{d}日前", "年上半年", "年下半年",
                             "年起", "年"]))
def test_every_dated_form_takes_effect_on_the_first_of_january_of_its_year(year, month, day, gap, form):
    words = f"{year}{gap}" + gap.join(form.format(m=month, d=day))
    assert effective.effective_year(words) == year
    assert effective.effective_from(words, first=FIRST) == date(year, 1, 1)


@pytest.mark.parametrize("words", ["已实现，持续巩固提升。", "已实现", "已完成 巩固推进", "已完成巩固推进", "持续推进", "持续开展", "现行"])
def test_achieved_and_undated_promises_bind_from_the_first_version(words):
    assert effective.effective_year(words) is None
    assert effective.effective_from(words, first=FIRST) == FIRST


@pytest.mark.parametrize("words", ["2021年13月底前", "2021年2月30日前", "年底前", "尽快", "2021年6月底以后", ""])
def test_anything_else_is_refused_with_its_words(words):
    with pytest.raises(effective.NotADeadline) as caught:
        effective.effective_year(words)
    assert repr(words)[1:-1] in str(caught.value)


def test_quoted_words_name_every_year_of_a_list():
    assert effective.quoted_years("2022年、2023年底前，低压非居民用户全过程办电时间压减至12天和10天内") == [2022, 2023]
    assert effective.quoted_years("2021年6月底前，全市范围160千瓦；2021年起") == [2021, 2021]
    assert effective.quoted_years("在2020年实现") == []


def test_a_version_whose_date_does_not_follow_from_its_deadlines_is_refused(edit):
    def half_year_the_day_after(raw):
        raw["versions"][1]["effective_from"] = date(2021, 7, 1)

    with pytest.raises(PolicyError) as caught:
        load_dir(edit("zaozhuang", half_year_the_day_after))
    assert ("versions[1].deadlines[0]: '2021年6月底前' takes effect on 2021-01-01 by the effective-date rule "
            "(policies.effective), not on 2021-07-01") in str(caught.value)


def test_an_achieved_promise_may_only_open_the_first_version(edit):
    def achieved_later(raw):
        raw["versions"][1]["deadlines"].append({"text": "已实现，持续巩固提升。", "source": "000_1faeb58a20a3753f.txt 附件2 第2项"})

    with pytest.raises(PolicyError) as caught:
        load_dir(edit("zaozhuang", achieved_later))
    assert "'已实现，持续巩固提升。' takes effect on 2020-01-01" in str(caught.value)


# --- the data against the seeds ----------------------------------------------------------

LEDGER_DIR = Path(settings.BASE_DIR) / "ledger" / "data"
ROW = re.compile(r"(?:附件2|任务台账)\s*第([\d、,，–-]+)项")


def _ledgers() -> dict[str, dict[int, str]]:
    """seed file -> {row number: the 完成时间 words as printed} (ledger/data, reviewed against the seeds)."""
    found = {}
    for path in LEDGER_DIR.glob("*.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[raw["seed"]] = {t["number"]: t["deadline"] for t in raw["tasks"] if not t.get("empty")}
    return found


def _rows(source: str) -> list[int]:
    numbers = []
    for match in ROW.finditer(source):
        for part in re.split(r"[、,，]", match.group(1)):
            ends = re.split(r"[–-]", part)
            numbers += list(range(int(ends[0]), int(ends[-1]) + 1))
    return numbers


def _sources(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                yield value
            elif key != "deadlines":
                yield from _sources(value)
    elif isinstance(node, list):
        for value in node:
            yield from _sources(value)


def _years(source: str, ledgers: dict[str, dict[int, str]]) -> set[int]:
    """The years the deadlines an item cites name: the dated phrases of its quoted words, else
    the 完成时间 of the ledger rows it names (achieved and ongoing rows name no year). The
    quoted words come first: a row can hold a 2020 achievement and a 2021 target (浙江 第4项)."""
    file, fragments = citations.quoted(source)
    quoted = effective.quoted_years("".join(fragments))
    if quoted:
        return set(quoted)
    rows = ledgers.get(file, {})
    return {y for y in (effective.effective_year(rows[n]) for n in _rows(source) if n in rows) if y is not None}


@pytest.mark.parametrize("region", REGIONS)
def test_each_declared_deadline_is_the_seeds_deadline_of_the_rows_it_cites(region):
    ledgers = _ledgers()
    raw = read_raw(region)
    first = raw["versions"][0]["effective_from"]
    checked = 0
    for version in raw["versions"]:
        for deadline in version["deadlines"]:
            file, _ = citations.quoted(deadline["source"])
            for number in _rows(deadline["source"]):
                printed = ledgers[file][number]
                assert effective.effective_from(printed, first=first) == version["effective_from"], (
                    f"{region} {version['version']}: row {number} reads '{printed}', not '{deadline['text']}'")
                checked += 1
    assert checked or region == "national"


@pytest.mark.parametrize("region", REGIONS)
def test_every_item_takes_effect_in_a_year_its_cited_deadline_names(region):
    """An item first appears in the version of a year its cited deadlines name: not before (a
    2022 target in force in 2021), not after (a 2021 rule held back to 2022)."""
    ledgers = _ledgers()
    seen: set[str] = set()
    checked = 0
    for version in read_raw(region)["versions"]:
        year = version["effective_from"].year
        for source in _sources(version):
            if source in seen:
                continue  # restated as it was: it took effect where it first appeared
            seen.add(source)
            years = _years(source, ledgers)
            if years:
                checked += 1
                assert year in years, f"{region} {version['version']}: {source!r} names {sorted(years)}"
    assert checked > 0
