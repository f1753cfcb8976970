"""The policy files as shipped: they load, every number is cited, the contradictions are on record."""
from __future__ import annotations

import re
from datetime import date

import pytest

from policies import citations
from policies.loader import NoVersionInForce
from policies.schema import SEED_CITATION
from policies.tests.conftest import DATA_DIR, SEEDS_DIR, read_raw, version_of
from policies.units import no_looser

REGIONS = ("national", "zaozhuang", "zhejiang", "shaanxi")
# The category codes are the contract of issue 3 (not seed numbers).
CATEGORY_CODES = {
    "zaozhuang": {"lv_residential", "lv_sanling", "lv_nonresidential", "hv10_single", "hv10_dual", "hv35_single", "hv35_dual"},
    "zhejiang": {"lv_residential", "lv_nonresidential", "lv_sanling", "hv_single", "hv_dual", "hv_conditional"},
    "shaanxi": {"lv_residential", "lv_nonresidential", "lv_sanling", "hv_single", "hv_dual"},
}
# Categories a later version brings in: Zhejiang's 3-stage "有条件" path is 附件2 第27项 (2021年底前).
LATER_CATEGORIES = {("zhejiang", "2020"): {"hv_conditional"}}
# Every contradiction the files record. Adding one to a file means adding it here.
CONTRADICTIONS = {
    "zz-stage-count",
    "zz-lv-sanling-slower",
    "zz-advance-notice-departments",
    "zz-progress-report-recipient",
    "zz-subsidy-area",
    "zj-reduction-ratio",
    "zj-town-saidi-2023",
    "zj-sanling-days-vs-workdays",
    "zj-approval-7-days-scope",
    "zj-hv-stages-by-risk",
    "sx-one-certificate",
    "sx-zero-investment-scope",
    "zz-zero-investment-scope",
}
# Plain integers that are identifiers, not measured numbers.
IDENTIFIER_KEYS = {"year"}


def test_every_file_loads_with_the_contract_category_codes(policies):
    assert set(policies.regions()) == set(REGIONS)
    assert policies.regions()[0] == "national"
    for region, codes in CATEGORY_CODES.items():
        for snap in policies.snapshots(region):
            expected = codes - LATER_CATEGORIES.get((region, snap.version), set())
            assert set(snap.document.categories) == expected, (region, snap.version)
            assert snap.document.parent == "national"


def _numbers(node, path=""):
    """Yield (path, parent mapping, key) for every number in a parsed file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                yield f"{path}.{key}", node, key
            else:
                yield from _numbers(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _numbers(value, f"{path}[{index}]")


@pytest.mark.parametrize("region", REGIONS)
def test_every_number_carries_its_unit_kind_and_source(region):
    raw = read_raw(region)
    found = 0
    for path, holder, key in _numbers(raw):
        if key in IDENTIFIER_KEYS:
            continue
        found += 1
        assert key in ("value", "value_max"), f"{region}{path}: a bare number; write {{value, unit, kind, source}}"
        for needed in ("unit", "kind", "source"):
            assert holder.get(needed), f"{region}{path}: the number has no {needed}"
        if holder["source"] == "setting":
            assert holder.get("reason"), f"{region}{path}: a setting needs its reason"
        else:
            assert SEED_CITATION.match(holder["source"]), f"{region}{path}: source must cite a seed file"
    assert found > 0


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"seed files not found at {SEEDS_DIR}")
@pytest.mark.parametrize("region", REGIONS)
def test_each_cited_number_appears_in_the_seed_it_cites(region):
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}
    for path, holder, key in _numbers(read_raw(region)):
        if key not in ("value", "value_max") or holder["source"] == "setting" or holder.get("derived"):
            continue
        cited = SEED_CITATION.match(holder["source"]).group(1)
        assert cited in texts, f"{region}{path}: cites {cited}, which is not a seed file"
        shown = f"{holder[key]:g}" if isinstance(holder[key], float) else str(holder[key])
        assert re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d.])", texts[cited]), f"{region}{path}: {shown} not in {cited}"


def _sources(node, path=""):
    """(key path, source) for every cited object in a parsed file (notes cite by `quote`)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                yield path, value
            elif key != "notes":
                yield from _sources(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _sources(value, f"{path}[{index}]")


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"seed files not found at {SEEDS_DIR}")
@pytest.mark.parametrize("region", REGIONS)
def test_every_source_quotes_the_seeds_own_words(region):
    seeds = {p.name: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}
    checked = 0
    for path, source in _sources(read_raw(region)):
        file, fragments = citations.quoted(source)
        if file is None:
            continue
        assert file in seeds, f"{region}{path}: cites {file}, which is not a seed file"
        checked += len(fragments)
        assert citations.missing(source, seeds) == [], f"{region}{path}: not the seed's words; put an inference in `reading`"
    assert checked > 0


def test_the_citation_check_catches_a_paraphrase():
    seeds = {"000_1faeb58a20a3753f.txt":
             "将台儿庄、高新的中心区、市区、城镇、农村地区用户年均停电时间分别压减至1个、2个、3个、5个小时以内。"}
    written = "000_1faeb58a20a3753f.txt 二 台儿庄、高新的中心区……1个小时以内; 附件2 第11项"
    assert citations.missing(written, seeds) == ["1个小时以内"]
    exact = "000_1faeb58a20a3753f.txt 附件2 第11项 台儿庄、高新的中心区……分别压减至1个、2个、3个、5个 小时以内"
    assert citations.missing(exact, seeds) == []
    # full-width and half-width punctuation are the same words
    assert citations.missing("000_1faeb58a20a3753f.txt 二 中心区，市区", {"000_1faeb58a20a3753f.txt": "中心区,市区"}) == []


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"seed files not found at {SEEDS_DIR}")
@pytest.mark.parametrize("region", REGIONS)
def test_every_note_quote_is_the_seeds_own_words(region):
    seeds = {p.name: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}
    checked = 0
    for note in read_raw(region).get("notes", []):
        for citation in note["citations"]:
            file, _ = citations.quoted(citation["source"])
            assert file in seeds, f"{region} {note['id']}: cites {file}, which is not a seed file"
            assert citations.quote_missing(citation["quote"], file, seeds) == [], (
                f"{region} {note['id']}: the quote is not the seed's words; put an inference in `reading`")
            checked += 1
    assert checked > 0


def test_the_quote_check_catches_a_summary_and_reads_a_table_row_as_its_cells():
    seeds = {"003_e17465e3b27c8d74.txt": "高压单电源 用户\t1\t21\t\\\t\\\t4\t4\t30\t53\t42%\n分别压减至**2、5、8、15**个小时以内"}
    assert citations.quote_missing("高压单电源 用户 1 21 \\ \\ 4 4 30 53 42%", "003_e17465e3b27c8d74.txt", seeds) == []
    assert citations.quote_missing("分别压减至2、5、8、15个小时以内", "003_e17465e3b27c8d74.txt", seeds) == []
    summary = "合计办理时间 30；现行国家规定时限 53"
    assert citations.quote_missing(summary, "003_e17465e3b27c8d74.txt", seeds) == [summary]
    assert citations.quote_missing("高压单电源 用户 1 21……30 53 42%（算出43.4%）", "003_e17465e3b27c8d74.txt", seeds) == [
        "30 53 42%（算出43.4%）"]


def _notes():
    return [(region, note) for region in REGIONS for note in read_raw(region).get("notes", [])]


def test_every_contradiction_is_recorded_with_reading_reason_and_both_citations():
    recorded = {note["id"]: note for _, note in _notes() if note["kind"] == "contradiction"}
    assert set(recorded) == CONTRADICTIONS
    for note_id, note in recorded.items():
        assert note["reading"].strip() and note["reason"].strip(), note_id
        assert len(note["citations"]) >= 2, note_id
        for citation in note["citations"]:
            assert SEED_CITATION.match(citation["source"]), note_id
            assert citation["quote"].strip(), note_id


def test_reading_notes_say_what_was_read_and_why():
    readings = [note for _, note in _notes() if note["kind"] == "reading"]
    assert readings
    for note in readings:
        assert note["citations"] and note["reading"].strip() and note["reason"].strip(), note["id"]


def test_the_zhejiang_town_target_that_loosens_is_a_declared_exception(policies):
    note = next(n for n in read_raw("zhejiang")["notes"] if n["id"] == "zj-town-saidi-2023")
    rule = note["exception_for"]
    assert rule["rule"] == "saidi_never_loosens"
    group, area = rule["key"].split(".")

    def saidi(on):
        doc = policies.in_force("zhejiang", on).document
        return next(t.saidi for t in doc.reliability_targets if t.city_group == group and t.area == area)

    # The exception is needed: the later target really is looser than the earlier one.
    assert saidi(date(2023, 6, 1)).value > saidi(date(2022, 6, 1)).value


def test_on_picks_the_version_in_force(policies):
    raw = read_raw("zhejiang")
    limit_2022 = version_of(raw, "2022")["categories"]["lv_nonresidential"]["full_process_limit"]["value"]
    limit_2023 = version_of(raw, "2023")["categories"]["lv_nonresidential"]["full_process_limit"]["value"]
    assert limit_2023 < limit_2022

    def full_process(on):
        snap = policies.in_force("zhejiang", on)
        return snap.version, snap.document.categories["lv_nonresidential"].full_process_limit

    assert full_process(date(2021, 12, 31))[1] is None
    assert full_process(date(2022, 1, 1))[0] == "2022"
    assert full_process(date(2022, 12, 31))[1].value == limit_2022
    assert full_process(date(2023, 1, 1))[1].value == limit_2023
    assert policies.in_force("zhejiang", date(2020, 12, 31)).version == "2020"  # 附件1's 2020 targets
    with pytest.raises(NoVersionInForce):
        policies.in_force("zhejiang", date(2019, 12, 31))


def test_a_later_version_inherits_what_it_does_not_restate(policies):
    early = policies.in_force("zhejiang", date(2021, 6, 1)).document
    late = policies.in_force("zhejiang", date(2023, 6, 1)).document
    assert "hv_dual" not in version_of(read_raw("zhejiang"), "2023").get("categories", {})
    assert "zero_investment" not in version_of(read_raw("zhejiang"), "2023")
    assert late.categories["hv_dual"] == early.categories["hv_dual"]
    assert late.zero_investment == early.zero_investment


def test_zaozhuang_annex_1_stage_limits_add_up_to_the_totals(policies):
    doc = policies.in_force("zaozhuang", date(2021, 8, 1)).document
    for code, category in doc.categories.items():
        limits = [s.limit.value for s in category.stages if s.limit is not None]
        if limits:
            assert sum(limits) == category.grid_side_limit.value, code


def test_shaanxi_high_voltage_falls_back_on_the_national_limits(policies):
    national = policies.in_force("national", date(2022, 6, 1)).document
    shaanxi = policies.in_force("shaanxi", date(2022, 6, 1)).document
    for code in ("hv_single", "hv_dual"):
        assert shaanxi.categories[code].grid_side_limit == national.categories[code].grid_side_limit
        assert all(stage.limit is None for stage in shaanxi.categories[code].stages)
        assert len(shaanxi.categories[code].stages) == 6


def test_zhejiang_sanling_customers_are_never_slower_than_other_lv_businesses(policies):
    for on in (date(2022, 6, 1), date(2023, 6, 1)):
        doc = policies.in_force("zhejiang", on).document
        sanling = doc.categories["lv_sanling"].full_process_limit
        general = doc.categories["lv_nonresidential"].full_process_limit
        assert no_looser(sanling, general)


def test_zero_investment_thresholds_only_grow_in_shaanxi(policies):
    rural = []
    for snap in policies.snapshots("shaanxi"):
        scope = snap.document.zero_investment.scope.get("lv_small_micro")
        if scope is not None:
            rural.append((scope.thresholds.get("rural") or scope.thresholds.get("all")).value)
    assert len(rural) >= 2 and rural == sorted(rural) and rural[0] < rural[-1]


def test_data_directory_holds_exactly_the_four_policies():
    assert sorted(p.stem for p in DATA_DIR.glob("*.yaml")) == sorted(REGIONS)


def test_stage_limits_never_add_up_beyond_the_category_total_for_any_customer(policies):
    from policies.resolve import stages_for

    checked = 0
    for region in REGIONS:
        for snap in policies.snapshots(region):
            for code, category in snap.document.categories.items():
                total = category.grid_side_limit or category.full_process_limit
                if total is None:
                    continue
                for important in (False, True):
                    limits = [s.limit for s in stages_for(snap.document, code, important=important) if s.limit is not None]
                    same_unit = [limit.value for limit in limits if limit.unit == total.unit]
                    assert len(same_unit) == len(limits), (region, snap.version, code)
                    assert sum(same_unit) <= total.value, (region, snap.version, code, important)
                    checked += 1
    assert checked > 20


def test_zhejiang_important_single_supply_stages_are_bound_by_the_30_day_total(policies):
    hv_single = policies.in_force("zhejiang", date(2021, 6, 1)).document.categories["hv_single"]
    borrowed = [s for s in hv_single.stages if s.when == "important"]
    assert [s.code for s in borrowed] == ["design_review", "midway_inspection"]
    assert all(s.limit is None for s in borrowed)  # "\" in the single-supply row: the total binds
    note = next(n for n in read_raw("zhejiang")["notes"] if n["id"] == "zj-hv-stages-by-risk")
    assert "合计30天" in note["reading"]


def test_a_stage_table_that_adds_up_beyond_the_total_for_important_customers_is_refused(edit):
    from policies.loader import PolicyError, load_dir

    def borrow(raw):
        for stage in raw["versions"][0]["categories"]["hv_single"]["stages"]:
            if stage["code"] == "design_review":
                stage["limit"] = {"value": 10, "unit": "day", "kind": "limit",
                                  "source": "003_e17465e3b27c8d74.txt 附件1 高压双电源用户 设计审查"}

    with pytest.raises(PolicyError) as caught:
        load_dir(edit("zhejiang", borrow))
    assert ("zhejiang.yaml: versions[0].categories.hv_single: stage limits add up to 40 day for important customers, "
            "above the total 30 day") in str(caught.value)


def test_the_advance_notice_is_a_minimum_lead_time(policies):
    exception = next(
        x for x in policies.in_force("zaozhuang", date(2021, 8, 1)).document.approvals.exemption.exceptions if x.advance_notice
    )
    assert exception.advance_notice.kind == "minimum"


def test_zhejiang_2020_holds_annex_1_and_what_2020_achieved_and_nothing_dated_later(policies):
    in_2020 = policies.in_force("zhejiang", date(2020, 6, 1))
    in_2021 = policies.in_force("zhejiang", date(2021, 6, 1)).document
    assert in_2020.version == "2020"
    doc = in_2020.document
    # 附件1 is the table of 2020 and 2021 targets: the same high-voltage stages and totals in both years.
    for code in ("hv_single", "hv_dual"):
        assert doc.categories[code].grid_side_limit == in_2021.categories[code].grid_side_limit
        assert doc.categories[code].stages == in_2021.categories[code].stages
    assert doc.categories["lv_residential"].full_process_limit == in_2021.categories["lv_residential"].full_process_limit
    # 2021年底前 items are not in force in 2020: the 三零 limit, the 3-stage path, 7-day approvals, the exemption.
    assert doc.categories["lv_sanling"].full_process_limit is None
    assert in_2021.categories["lv_sanling"].full_process_limit is not None
    assert "hv_conditional" not in doc.categories and "hv_conditional" in in_2021.categories
    assert [q.unit for q in doc.approvals.limits["lv"].limits] == ["workday"]
    assert {q.unit for q in in_2021.approvals.limits["lv"].limits} == {"workday", "day"}
    assert doc.approvals.exemption is None and in_2021.approvals.exemption is not None
    assert "zj-2020-version" in {n.id for n in doc.notes}
