"""Broken files fail loudly with the key path; children never loosen; one-way rules hold."""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from policies.loader import PolicyError, load_dir
from policies.schema import Quantity
from policies.tests.conftest import read_raw, version_of, write_raw
from policies.units import Incomparable, max_workday_span, no_looser

ON_2021 = date(2021, 6, 1)


def _errors(directory) -> str:
    with pytest.raises(PolicyError) as caught:
        load_dir(directory)
    return str(caught.value)


def _q(value, unit, source="setting"):
    return {"value": value, "unit": unit, "kind": "limit", "source": source, "reason": "county promise (test)"}


def _county(parent="zhejiang", versions=None, **content):
    return {
        "region": "xihu",
        "name": "西湖区",
        "title": "西湖区办电承诺（测试用）",
        "parent": parent,
        "unit": "day",
        "versions": versions or [{"version": "2021", "effective_from": date(2021, 1, 1), "basis": "测试",
                                 "deadlines": [{"text": "2021年底前", "source": "xihu.txt 第1条"}], **content}],
    }


def _stage(doc, category, code):
    return next(s for s in doc.categories[category].stages if s.code == code)


# --- a broken file names the file and the key ----------------------------------------


def test_a_wrong_unit_is_reported_at_its_key_path(edit):
    def change(raw):
        raw["versions"][2].setdefault("categories", {})["hv_single"] = {
            "stages": [
                {"code": "acceptance"},
                {"code": "scheme_reply", "limit": {"value": 20, "unit": "fortnight", "kind": "limit", "source": "setting", "reason": "x"}},
            ]
        }

    message = _errors(edit("zhejiang", change))
    assert "zhejiang.yaml: versions[2].categories.hv_single.stages[1].limit.unit: Input should be 'workday' or 'day'" in message


def test_a_misspelt_key_is_an_error_not_ignored(edit):
    def change(raw):
        category = raw["versions"][0]["categories"]["hv_single"]
        category["grid_side_limt"] = category.pop("grid_side_limit")

    message = _errors(edit("zhejiang", change))
    assert "zhejiang.yaml: versions[0].categories.hv_single.grid_side_limt: Extra inputs are not permitted" in message


def test_a_number_without_its_source_is_an_error(edit):
    def change(raw):
        del raw["versions"][0]["categories"]["hv10_single"]["stages"][1]["limit"]["source"]

    message = _errors(edit("zaozhuang", change))
    assert "zaozhuang.yaml: versions[0].categories.hv10_single.stages[1].limit.source: Field required" in message


def test_a_number_written_as_text_is_an_error(edit):
    def change(raw):
        raw["versions"][0]["categories"]["hv10_single"]["grid_side_limit"]["value"] = "11"

    message = _errors(edit("zaozhuang", change))
    assert "zaozhuang.yaml: versions[0].categories.hv10_single.grid_side_limit.value:" in message


def test_a_setting_without_a_reason_is_an_error(edit):
    def change(raw):
        del raw["versions"][0]["settings"]["escalation_limit"]["reason"]

    message = _errors(edit("national", change))
    assert "national.yaml: versions[0].settings.escalation_limit: a number marked 'source: setting' needs a 'reason'" in message


def test_a_missing_field_is_reported_once_at_the_version_that_wrote_it(edit):
    def change(raw):
        raw["versions"][1].setdefault("categories", {})["lv_farm"] = {"unit": "day"}

    message = _errors(edit("zhejiang", change))
    assert "zhejiang.yaml: versions[1].categories.lv_farm.name: Field required" in message
    assert message.count("lv_farm.name") == 1  # not repeated for every later version


def test_stage_limits_adding_up_beyond_the_total_are_refused(edit):
    def change(raw):
        raw["versions"][0]["categories"]["hv10_single"]["stages"][1]["limit"]["value"] += 1

    message = _errors(edit("zaozhuang", change))
    assert "zaozhuang.yaml: versions[0].categories.hv10_single: stage limits add up to" in message


def test_a_contradiction_needs_both_citations(edit):
    def change(raw):
        raw["notes"][0]["citations"] = raw["notes"][0]["citations"][:1]

    assert "zaozhuang.yaml: notes[0]: a contradiction note needs at least 2 citation(s)" in _errors(edit("zaozhuang", change))


def test_invalid_yaml_names_the_line(data_copy):
    (data_copy / "shaanxi.yaml").write_text("region: shaanxi\nversions: [\n  - oops: {\n", encoding="utf-8")
    message = _errors(data_copy)
    assert "shaanxi.yaml: line" in message and "not valid YAML" in message


def test_the_region_must_match_the_file_name(edit):
    message = _errors(edit("shaanxi", lambda raw: raw.update(region="shanxi")))
    assert "shaanxi.yaml: region: 'shanxi' must match the file name 'shaanxi'" in message


def test_an_unknown_parent_and_a_cycle_are_errors(data_copy):
    write_raw(data_copy, "xihu", _county(parent="hangzhou"))
    assert "xihu.yaml: parent: no policy file for region 'hangzhou'" in _errors(data_copy)
    raw = read_raw("national", data_copy)
    raw["parent"] = "xihu"
    write_raw(data_copy, "national", raw)
    write_raw(data_copy, "xihu", _county(parent="national"))
    assert "cycle" in _errors(data_copy)


def test_versions_must_move_forward_in_time(edit):
    def change(raw):
        raw["versions"][2]["effective_from"] = raw["versions"][1]["effective_from"]

    assert "effective_from must strictly increase" in _errors(edit("zhejiang", change))


# --- a child may tighten its parent, never loosen it -----------------------------------


def test_a_county_may_tighten_and_inherits_the_rest(data_copy, policies):
    parent = policies.in_force("zhejiang", ON_2021).document
    reply = _stage(parent, "hv_single", "scheme_reply").limit
    write_raw(
        data_copy,
        "xihu",
        _county(categories={"hv_single": {"stages": [{"code": "scheme_reply", "limit": _q(reply.value - 1, reply.unit)}]}}),
    )
    county = load_dir(data_copy)
    doc = county.in_force("xihu", ON_2021).document
    assert _stage(doc, "hv_single", "scheme_reply").limit.value == reply.value - 1
    assert _stage(doc, "hv_single", "acceptance") == _stage(parent, "hv_single", "acceptance")
    assert set(doc.categories) == set(parent.categories)
    assert doc.categories["hv_conditional"].parent_category == "hv_conditional"
    assert doc.approvals == parent.approvals and doc.settings == parent.settings
    # A change of the parent makes a snapshot of the child that carries it.
    later = county.in_force("xihu", date(2022, 6, 1))
    assert later.version == "2021+zhejiang-2022"
    assert (
        later.document.categories["lv_nonresidential"].full_process_limit
        == policies.in_force("zhejiang", date(2022, 6, 1)).document.categories["lv_nonresidential"].full_process_limit
    )


def test_a_county_loosening_a_stage_limit_fails_naming_both_values(data_copy, policies):
    reply = _stage(policies.in_force("zhejiang", ON_2021).document, "hv_dual", "scheme_reply").limit
    inspection = _stage(policies.in_force("zhejiang", ON_2021).document, "hv_dual", "completion_inspection").limit
    # One day moved from the inspection to the reply: the stages still add up to the total.
    write_raw(
        data_copy,
        "xihu",
        _county(
            categories={
                "hv_dual": {
                    "stages": [
                        {"code": "scheme_reply", "limit": _q(reply.value + 1, reply.unit)},
                        {"code": "completion_inspection", "limit": _q(inspection.value - 1, inspection.unit)},
                    ]
                }
            }
        ),
    )
    message = _errors(data_copy)
    assert "xihu.yaml: versions[0] (2021 from 2021-01-01): categories.hv_dual.stages.scheme_reply.limit:" in message
    assert f"{reply.value + 1} {reply.unit} (setting) is looser than zhejiang 2021's {reply.value} {reply.unit} ({reply.source})" in message


def test_a_county_cannot_ask_for_more_documents_or_add_a_stage(data_copy):
    write_raw(
        data_copy,
        "xihu",
        _county(
            categories={
                "lv_residential": {
                    "stages": [
                        {"code": "acceptance",
                         "documents": {"required": ["applicant_id", "property_certificate", "project_approval"], "source": "setting"}},
                        {"code": "scheme_reply", "name": "供电方案答复", "documents": {"required": [], "source": "setting"}},
                    ]
                }
            }
        ),
    )
    message = _errors(data_copy)
    assert "categories.lv_residential.stages.acceptance.documents.required: asks for ['project_approval']" in message
    assert "categories.lv_residential.stages: adds ['scheme_reply'] that zhejiang 2021 does not have" in message


def test_a_county_cannot_give_every_customer_an_important_only_stage(data_copy):
    write_raw(data_copy, "xihu", _county(categories={"hv_dual": {"stages": [{"code": "design_review", "when": None}]}}))
    assert "categories.hv_dual.stages.design_review.when: applies the stage to more customers" in _errors(data_copy)


def test_a_county_cannot_loosen_an_approval_limit(data_copy, policies):
    parent = policies.in_force("zhejiang", ON_2021).document.approvals.limits["lv"]
    loose = parent.model_dump(mode="json", exclude_none=True)
    loose["limits"] = [_q(limit.value + 1, limit.unit) for limit in parent.limits]
    write_raw(data_copy, "xihu", _county(approvals={"limits": {"lv": loose}}))
    message = _errors(data_copy)
    assert "approvals.limits.lv.limits:" in message and "none is as tight as zhejiang 2021's" in message


def test_a_county_cannot_shrink_zero_investment(data_copy, policies):
    scope = policies.in_force("shaanxi", ON_2021).document.zero_investment.scope["lv_small_micro"]
    rural = scope.thresholds["rural"]
    smaller = scope.model_dump(mode="json", exclude_none=True)
    smaller["thresholds"]["rural"] = {**_q(rural.value - 10, rural.unit)}
    county = _county(parent="shaanxi", zero_investment={"scope": {"lv_small_micro": smaller}})
    county["unit"] = "workday"
    write_raw(data_copy, "xihu", county)
    message = _errors(data_copy)
    assert "zero_investment.scope.lv_small_micro.thresholds.rural:" in message
    assert f"is looser than shaanxi 2021's {rural.value} kW" in message


def test_a_county_that_was_strict_is_caught_when_the_parent_tightens_later(data_copy, policies):
    later = policies.in_force("zhejiang", date(2022, 6, 1)).document.categories["lv_nonresidential"].full_process_limit
    assert policies.in_force("zhejiang", ON_2021).document.categories["lv_nonresidential"].full_process_limit is None
    write_raw(
        data_copy,
        "xihu",
        _county(categories={"lv_nonresidential": {"full_process_limit": _q(later.value + 2, later.unit)}}),
    )
    message = _errors(data_copy)
    assert "xihu.yaml: versions[0] (2021+zhejiang-2022 from 2022-01-01)" in message
    assert "categories.lv_nonresidential.full_process_limit" in message


# --- one-way rules between versions ----------------------------------------------------


def test_zero_investment_thresholds_never_shrink_between_versions(edit, policies):
    earlier = policies.in_force("shaanxi", ON_2021).document.zero_investment.scope["lv_small_micro"].thresholds

    def change(raw):
        thresholds = version_of(raw, "2022")["zero_investment"]["scope"]["lv_small_micro"]["thresholds"]
        thresholds["all"]["value"] = earlier["rural"].value - 1

    message = _errors(edit("shaanxi", change))
    assert "shaanxi.yaml: versions[2] (2022): one-way rule zero_investment_never_shrinks" in message
    assert "zero_investment.scope.lv_small_micro.thresholds.urban" in message
    assert "zero_investment.scope.lv_small_micro.thresholds.rural" in message


def test_a_zero_investment_group_or_boundary_cannot_be_dropped(edit):
    def change(raw):
        boundaries = version_of(raw, "2022")["investment_boundary"]
        latest = version_of(raw, "2023")
        latest["investment_boundary"] = [b for b in boundaries if b["code"] != "lv_red_line"]
        latest["zero_investment"] = {"scope": {"lv_sanling": None}}

    message = _errors(edit("shaanxi", change))
    assert "versions[3] (2023): one-way rule zero_investment_never_shrinks" in message
    assert "zero_investment.scope.lv_sanling: drops version 2022's '" in message
    assert "investment_boundary.lv_red_line: drops version 2022's '" in message


def test_the_saidi_rule_needs_the_cited_exception(edit, policies):
    def change(raw):
        for note in raw["notes"]:
            note.pop("exception_for", None)

    message = _errors(edit("zhejiang", change))
    before = next(t for t in policies.in_force("zhejiang", date(2022, 6, 1)).document.reliability_targets if t.key == "other.town")
    after = next(t for t in policies.in_force("zhejiang", date(2023, 6, 1)).document.reliability_targets if t.key == "other.town")
    assert "zhejiang.yaml: versions[3] (2023): one-way rule saidi_never_loosens" in message
    assert f"other.town: 2023 SAIDI target {after.saidi.value} hour" in message
    assert f"looser than version 2022's 2022 target {before.saidi.value} hour" in message


def test_an_exception_nothing_needs_is_an_error(edit, policies):
    before = next(t for t in policies.in_force("zhejiang", date(2022, 6, 1)).document.reliability_targets if t.key == "other.town")

    def change(raw):
        for target in version_of(raw, "2023")["reliability_targets"]:
            if target["city_group"] == "other" and target["area"] == "town":
                target["saidi"]["value"] = before.saidi.value

    assert "zj-town-saidi-2023 declares an exception to saidi_never_loosens" in _errors(edit("zhejiang", change))


# --- comparing day and workday limits --------------------------------------------------


def _limit(value, unit):
    return Quantity(value=value, unit=unit, kind="limit", source="setting", reason="test")


def test_same_units_compare_by_value():
    assert no_looser(_limit(20, "day"), _limit(21, "day"))
    assert not no_looser(_limit(22, "day"), _limit(21, "day"))
    assert no_looser(_limit(200, "kW"), _limit(160, "kW"), better="higher")
    assert not no_looser(_limit(100, "kW"), _limit(160, "kW"), better="higher")


def test_calendar_days_are_no_looser_than_as_many_working_days():
    assert no_looser(_limit(7, "day"), _limit(10, "workday"))
    assert no_looser(_limit(10, "day"), _limit(10, "workday"))
    # Started on a Saturday, 5 working days end on Friday (6 days later) while 7 calendar
    # days end on Saturday and move to Monday: later, so not shown to be no looser.
    assert not no_looser(_limit(7, "day"), _limit(5, "workday"))


def test_working_days_against_calendar_days_use_the_longest_official_span():
    assert no_looser(_limit(11, "workday"), _limit(30, "day"), workday_span=lambda n: 2 * n)
    assert not no_looser(_limit(11, "workday"), _limit(21, "day"), workday_span=lambda n: 2 * n)
    assert no_looser(_limit(11, "workday"), _limit(53, "day"))
    assert not no_looser(_limit(40, "workday"), _limit(53, "day"))


def test_units_that_cannot_be_compared_are_refused():
    with pytest.raises(Incomparable):
        no_looser(_limit(1250, "kVA"), _limit(160, "kW"), better="higher")


def _slow_span(n: int, first_year: int, last_year: int) -> int:
    """Day by day: the longest calendar span n working days take from any start date."""
    first, last = date(first_year, 1, 1), date(last_year, 12, 31)
    working = [chinese_calendar.is_workday(first + timedelta(i)) for i in range((last - first).days + 1)]
    longest = 0
    for start in range(len(working)):
        day, counted = start, 0
        while counted < n and day + 1 < len(working):
            day += 1
            counted += working[day]
        if counted < n:
            break
        longest = max(longest, day - start)
    return longest


@pytest.mark.parametrize("n", [1, 5, 11])
def test_max_workday_span_agrees_with_a_day_by_day_count(n):
    from chinese_calendar import constants

    assert max_workday_span(n) == _slow_span(n, min(constants.holidays).year, max(constants.holidays).year)
    assert max_workday_span(n) > n  # weekends and holidays always stretch working days
