"""Never loosen, by any route: each route a county could take is refused with its key path,
both values and the parent's citation; a county that only tightens loads; the rule table
covers every key path of the schema."""
from __future__ import annotations

from datetime import date

import pytest

from policies import rules
from policies.loader import PolicyError, load_dir
from policies.tests.conftest import write_raw

ON_2021 = date(2021, 6, 1)


def _q(value, unit, kind="limit"):
    return {"value": value, "unit": unit, "kind": kind, "source": "xihu.txt 第1条", "reading": "县级承诺（测试用）"}


def _county(parent="zhejiang", unit="day", effective=date(2021, 1, 1), **content):
    return {
        "region": "xihu",
        "name": "西湖区",
        "title": "西湖区办电承诺（测试用）",
        "parent": parent,
        "unit": unit,
        "versions": [{"version": "2021", "effective_from": effective, "basis": "测试",
                      "deadlines": [{"text": f"{effective.year}年底前", "source": "xihu.txt 第1条"}], **content}],
    }


def _refused(data_copy, county) -> str:
    write_raw(data_copy, "xihu", county)
    with pytest.raises(PolicyError) as caught:
        load_dir(data_copy)
    message = str(caught.value)
    assert all(line.startswith(f"{data_copy}/xihu.yaml: versions[0] (2021") for line in caught.value.errors), message
    return message


def _zhejiang(policies, on=ON_2021):
    return policies.in_force("zhejiang", on).document


# --- the nine routes of issue 10 ---------------------------------------------------------


def test_a_new_category_taking_the_parents_customers_is_refused(data_copy, policies):
    parent = _zhejiang(policies).categories["hv_single"]
    ordinary = {
        "name": "普通高压单电源用户",
        "unit": "day",
        "applies_to": {"voltage": "hv", "supply": "single", "important": False, "source": "xihu.txt 第1条"},
        "stages_source": "xihu.txt 第1条",
        "stages": [
            {"code": "acceptance", "name": "申请受理", "documents": {"required": [], "source": "xihu.txt 第1条"}},
            {"code": "connection", "name": "装表接电", "documents": {"required": [], "source": "xihu.txt 第1条"}},
        ],
        "grid_side_limit": _q(90, "day"),
    }
    message = _refused(data_copy, _county(categories={"hv_single_ordinary": ordinary}))
    assert "categories.hv_single_ordinary: a new category for customers that zhejiang 2021's ['hv_single', 'hv_conditional']" in message
    assert parent.applies_to.source in message or parent.name in message
    assert "name it parent_category" in message


def test_a_category_repointed_at_a_looser_parent_category_is_refused(data_copy):
    message = _refused(data_copy, _county(categories={"hv_single": {"parent_category": "hv_dual"}}))
    assert "categories.hv_single.parent_category: 'hv_dual': a category with zhejiang 2021's code 'hv_single' refines" in message


def test_a_new_code_naming_a_parent_of_another_supply_is_refused(policies):
    # Compared directly: as a file, the split also orphans what names hv_dual elsewhere.
    parent = _zhejiang(policies)
    dual = parent.categories["hv_dual"]
    split = dual.model_copy(update={"parent_category": "hv_dual", "applies_to": dual.applies_to.model_copy(update={"supply": "single"})})
    child = parent.model_copy(update={"categories": {**parent.categories, "hv_dual_x": split}})
    found = dict(rules.compare(child, parent, label="zhejiang 2021"))
    assert found["categories.hv_dual_x.applies_to"].startswith(
        "categories.hv_dual_x.applies_to: hv single customers, but it refines zhejiang 2021's 'hv_dual' for hv dual"
    )


def test_the_same_number_as_an_average_instead_of_a_limit_is_refused(data_copy, policies):
    total = _zhejiang(policies).categories["hv_single"].grid_side_limit
    message = _refused(
        data_copy, _county(categories={"hv_single": {"grid_side_limit": _q(total.value, total.unit, kind="average")}})
    )
    assert (
        f"categories.hv_single.grid_side_limit: kind 'average' is looser than zhejiang 2021's 'limit' for "
        f"{total.value} {total.unit} ({total.source})" in message
    )


def test_narrowing_who_a_category_applies_to_is_refused(data_copy, policies):
    cap = _zhejiang(policies).categories["lv_sanling"].applies_to.capacity_max
    message = _refused(data_copy, _county(categories={"lv_sanling": {"applies_to": {"capacity_max": _q(50, "kW")}}}))
    assert (
        f"categories.lv_sanling.applies_to.capacity_max: 50 kW (xihu.txt 第1条) covers fewer customers than "
        f"zhejiang 2021's {cap.value} {cap.unit} ({cap.source})" in message
    )


def test_narrowing_the_approval_exemption_is_refused(data_copy, policies):
    exemption = _zhejiang(policies).approvals.exemption
    message = _refused(
        data_copy,
        _county(approvals={"exemption": {"conditions": {"capacity_max": _q(20, "kW"), "sanling": True}}}),
    )
    assert "approvals.exemption.conditions.capacity_max: caps at 20 kW (xihu.txt 第1条) where zhejiang 2021 sets no bound" in message
    assert (f"approvals.exemption.conditions.sanling: adds the condition True, "
            f"which zhejiang 2021 does not set ({exemption.source})") in message


def test_loosening_targets_is_refused(data_copy, policies):
    doc = _zhejiang(policies)
    online = doc.targets["online_rate"].quantity
    average = doc.categories["lv_nonresidential"].targets["full_process_average"].quantity
    message = _refused(
        data_copy,
        _county(
            targets={"online_rate": {"quantity": _q(50, "percent", kind="share")}},
            categories={"lv_nonresidential": {"targets": {"full_process_average": {"quantity": _q(30, "day", kind="average")}}}},
        ),
    )
    assert f"targets.online_rate.quantity: 50 percent (xihu.txt 第1条) is looser than zhejiang 2021's {online} ({online.source})" in message
    assert (
        f"categories.lv_nonresidential.targets.full_process_average.quantity: 30 day (xihu.txt 第1条) is looser than "
        f"zhejiang 2021's {average} ({average.source})" in message
    )


def test_dropping_the_reporting_rules_is_refused(data_copy, policies):
    periodic = _zhejiang(policies).reporting["periodic"]
    message = _refused(data_copy, _county(reporting=None))
    assert f"reporting.periodic: drops zhejiang 2021's '{periodic.name}' ({periodic.source})" in message


def test_monthly_statistics_made_yearly_are_refused(data_copy, policies):
    monthly = policies.in_force("shaanxi", ON_2021).document.reporting["monthly_statistics"]
    assert monthly.period == "month"
    message = _refused(
        data_copy, _county(parent="shaanxi", unit="workday", reporting={"monthly_statistics": {"period": "year"}})
    )
    assert f"reporting.monthly_statistics.period: 'year' is looser than shaanxi 2021's 'month' ({monthly.source})" in message


def test_removing_the_onsite_reply_and_the_high_reliability_zones_is_refused(data_copy, policies):
    doc = policies.in_force("shaanxi", ON_2021).document
    message = _refused(
        data_copy,
        _county(parent="shaanxi", unit="workday", onsite_scheme_reply=None, high_reliability_zones=None),
    )
    assert f"onsite_scheme_reply: drops shaanxi 2021's OnsiteSchemeReply ({doc.onsite_scheme_reply.source})" in message
    assert f"high_reliability_zones: drops shaanxi 2021's HighReliabilityZones ({doc.high_reliability_zones.source})" in message


# --- tightening loads --------------------------------------------------------------------


def test_a_county_that_only_tightens_loads(data_copy, policies):
    parent = _zhejiang(policies)
    total = parent.categories["hv_single"].grid_side_limit
    reply = next(s for s in parent.categories["hv_single"].stages if s.code == "scheme_reply").limit
    average = parent.categories["lv_nonresidential"].targets["full_process_average"].quantity
    write_raw(
        data_copy,
        "xihu",
        _county(
            categories={
                # a shorter total, an average made a per-case limit, a wider 三零 cap
                "hv_single": {
                    "grid_side_limit": _q(total.value - 5, total.unit),
                    "stages": [{"code": "scheme_reply", "limit": _q(reply.value - 5, reply.unit)}],
                },
                "lv_nonresidential": {
                    "targets": {"full_process_average": {"quantity": _q(average.value - 3, average.unit, kind="limit")}}
                },
                "lv_sanling": {"applies_to": {"capacity_max": _q(200, "kW")}},
                # the design review for nobody: one stage fewer for important customers
                "hv_dual": {"stages": [{"code": "midway_inspection", "when": "important"}]},
            },
            targets={"online_rate": {"quantity": _q(100, "percent", kind="share")}},
            approvals={"exemption": {"conditions": {"line_length_max": _q(300, "m")}}},
            reporting={"periodic": {"period": "month"}},
        ),
    )
    doc = load_dir(data_copy).in_force("xihu", ON_2021).document
    assert doc.categories["hv_single"].grid_side_limit.value == total.value - 5
    assert doc.categories["lv_nonresidential"].targets["full_process_average"].quantity.kind == "limit"
    assert doc.categories["lv_sanling"].applies_to.capacity_max.value == 200
    assert doc.reporting["periodic"].period == "month"
    assert doc.approvals.exemption.conditions.line_length_max.value == 300


def test_a_refusal_stores_nothing(db, data_copy):
    from core.errors import InvalidInput
    from policies.actions import policy_load
    from policies.models import PolicyVersion

    policy_load()
    before = PolicyVersion.objects.count()
    write_raw(data_copy, "xihu", _county(reporting=None))
    with pytest.raises(InvalidInput) as caught:
        policy_load(path=data_copy)
    assert "xihu.yaml: versions[0] (2021 from 2021-01-01): reporting.periodic: drops zhejiang 2021's" in str(caught.value)
    assert PolicyVersion.objects.count() == before
    assert not PolicyVersion.objects.filter(region="xihu").exists()


# --- the table itself --------------------------------------------------------------------


def test_every_key_path_of_the_schema_has_a_rule():
    assert rules.uncovered() == []


def test_the_table_has_no_rule_for_a_key_path_the_schema_lacks():
    assert rules.stale() == []


def test_a_section_without_a_rule_is_reported_and_fails_the_coverage_test(monkeypatch):
    monkeypatch.delitem(rules.RULES, "reporting.*.period")
    assert rules.uncovered() == ["reporting.*.period"]
