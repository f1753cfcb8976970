"""Category resolution and the other per-application answers a policy version gives."""
from __future__ import annotations

from datetime import date

import pytest

from policies.resolve import (
    ResolutionError,
    allowed_documents,
    investment_boundary,
    onsite_scheme_reply_applies,
    resolve_category,
    stages_for,
    transitional_scheme_applies,
    zero_investment_applies,
    zero_investment_threshold,
)


def _doc(policies, region, on):
    return policies.in_force(region, on).document


@pytest.fixture
def zaozhuang(policies):
    return _doc(policies, "zaozhuang", date(2021, 8, 1))


@pytest.fixture
def zhejiang(policies):
    return _doc(policies, "zhejiang", date(2022, 6, 1))


@pytest.fixture
def shaanxi(policies):
    return _doc(policies, "shaanxi", date(2022, 6, 1))


@pytest.mark.parametrize(
    ("voltage_kv", "supply", "expected"),
    [
        (10, "single", "hv10_single"),
        (10, "dual", "hv10_dual"),
        (20, "single", "hv10_single"),
        (35, "single", "hv35_single"),
        (110, "dual", "hv35_dual"),
    ],
)
def test_zaozhuang_high_voltage_by_voltage_and_supply(zaozhuang, voltage_kv, supply, expected):
    assert resolve_category(zaozhuang, voltage_kv=voltage_kv, capacity_kva=800, supply=supply) == expected


def test_zaozhuang_low_voltage(zaozhuang):
    assert resolve_category(zaozhuang, voltage_kv=0.22, capacity_kva=8, supply="single", residential=True) == "lv_residential"
    assert resolve_category(zaozhuang, voltage_kv=0.38, capacity_kva=50, supply="single", sanling=True) == "lv_sanling"
    assert resolve_category(zaozhuang, voltage_kv=0.38, capacity_kva=50, supply="single") == "lv_nonresidential"


def test_a_sanling_request_above_the_capacity_bound_is_an_ordinary_lv_business(zhejiang, zaozhuang):
    bound = zhejiang.categories["lv_sanling"].applies_to.capacity_max
    above = bound.value + 10
    assert resolve_category(zhejiang, voltage_kv=0.38, capacity_kva=above, supply="single", sanling=True) == "lv_nonresidential"
    # kW never exceeds kVA: a customer above the kW bound in kVA but within it in kW still qualifies.
    assert (
        resolve_category(zhejiang, voltage_kv=0.38, capacity_kva=above, capacity_kw=bound.value, supply="single", sanling=True)
        == "lv_sanling"
    )
    # Zaozhuang's 160 kW widens 三零 to every small firm up to it; it is no cap on 三零
    # customers, who had none in 2020 (note zz-zero-investment-scope).
    assert zaozhuang.categories["lv_sanling"].applies_to.capacity_max is None
    assert resolve_category(zaozhuang, voltage_kv=0.38, capacity_kva=above, supply="single", sanling=True) == "lv_sanling"


def test_zhejiang_conditional_path_only_for_ordinary_single_supply_customers(zhejiang):
    ordinary = dict(voltage_kv=10, capacity_kva=630, supply="single", conditional=True)
    assert resolve_category(zhejiang, **ordinary) == "hv_conditional"
    assert resolve_category(zhejiang, **ordinary, important=True) == "hv_single"
    assert resolve_category(zhejiang, **{**ordinary, "supply": "dual"}) == "hv_dual"
    assert resolve_category(zhejiang, voltage_kv=10, capacity_kva=630, supply="single") == "hv_single"


def test_zhejiang_design_review_only_for_important_customers(zhejiang):
    ordinary = [s.code for s in stages_for(zhejiang, "hv_dual")]
    important = [s.code for s in stages_for(zhejiang, "hv_dual", important=True)]
    assert "design_review" not in ordinary and "midway_inspection" not in ordinary
    assert important == [s.code for s in zhejiang.categories["hv_dual"].stages]
    assert len(ordinary) == 4 and len(important) == 6
    assert [s.code for s in stages_for(zhejiang, "hv_conditional")][-1] == "completion_connection"


def test_shaanxi_high_voltage_goes_through_six_stages_with_the_listed_documents(shaanxi):
    code = resolve_category(shaanxi, voltage_kv=10, capacity_kva=1000, supply="single")
    assert code == "hv_single"
    assert len(stages_for(shaanxi, code)) == 6
    assert allowed_documents(shaanxi, code, "acceptance") == ["applicant_id", "property_certificate", "project_approval"]
    assert allowed_documents(shaanxi, code, "scheme_reply") == []
    with pytest.raises(ResolutionError) as caught:
        allowed_documents(shaanxi, code, "completion_connection")
    assert caught.value.field == "stage"


def test_inputs_that_fit_no_category_name_the_field(zaozhuang, policies):
    with pytest.raises(ResolutionError) as caught:
        resolve_category(zaozhuang, voltage_kv=3, capacity_kva=100, supply="single")
    assert caught.value.field == "voltage_kv"
    with pytest.raises(ResolutionError) as caught:
        resolve_category(zaozhuang, voltage_kv=10, capacity_kva=100, supply="triple")
    assert caught.value.field == "supply"
    with pytest.raises(ResolutionError) as caught:
        resolve_category(_doc(policies, "national", date(2022, 1, 1)), voltage_kv=10, capacity_kva=100, supply="single")
    assert caught.value.field == "category"


def test_resolution_works_on_the_stored_json_of_a_pinned_version(zhejiang):
    stored = zhejiang.model_dump(mode="json", exclude_none=True)
    assert resolve_category(stored, voltage_kv=10, capacity_kva=630, supply="single", conditional=True) == "hv_conditional"


def test_shaanxi_zero_investment_threshold_by_area_and_year(policies):
    in_2021 = _doc(policies, "shaanxi", date(2021, 6, 1))
    in_2022 = _doc(policies, "shaanxi", date(2022, 6, 1))
    rural_2021 = zero_investment_threshold(in_2021, scope="lv_small_micro", area="rural")
    urban_2021 = zero_investment_threshold(in_2021, scope="lv_small_micro", area="town")
    rural_2022 = zero_investment_threshold(in_2022, scope="lv_small_micro", area="rural")
    assert rural_2021.value < urban_2021.value == rural_2022.value
    between = (rural_2021.value + urban_2021.value) / 2
    # The 2020 group of 三零 customers (task 37, no figure) still covers them: the rural
    # figure widens zero investment to small firms, it never narrows it (sx-zero-investment-scope).
    assert zero_investment_applies(in_2021, category="lv_sanling", area="rural", capacity_kva=between)
    assert zero_investment_applies(in_2021, category="lv_sanling", area="urban", capacity_kva=between)
    assert zero_investment_applies(in_2022, category="lv_sanling", area="rural", capacity_kva=between)
    assert zero_investment_applies(in_2022, category="lv_residential", area="rural", capacity_kva=between)
    assert not zero_investment_applies(in_2022, category="hv_single", area="urban", capacity_kva=between)


def test_zaozhuang_park_customers_get_the_red_line_boundary(zaozhuang):
    [park] = investment_boundary(zaozhuang, "hv10_single", conditions=("provincial_park",))
    assert park.boundary == "to_planning_red_line"
    assert investment_boundary(zaozhuang, "hv10_single") == []
    assert investment_boundary(zaozhuang, "hv35_single", conditions=("provincial_park",)) == []
    assert [b.boundary for b in investment_boundary(zaozhuang, "lv_sanling")] == ["to_meter"]


def test_onsite_reply_and_transitional_scheme_in_shaanxi(shaanxi, zhejiang):
    rule = shaanxi.onsite_scheme_reply.applies_to
    fits = dict(voltage_kv=rule.voltage_kv.value, supply=rule.supply, capacity_kva=rule.capacity_max.value)
    assert onsite_scheme_reply_applies(shaanxi, **fits)
    assert not onsite_scheme_reply_applies(shaanxi, **{**fits, "capacity_kva": rule.capacity_max.value + 1})
    assert not onsite_scheme_reply_applies(shaanxi, **{**fits, "supply": "dual"})
    assert not onsite_scheme_reply_applies(zhejiang, **fits)
    assert transitional_scheme_applies(shaanxi, **fits)
    assert not transitional_scheme_applies(shaanxi, **{**fits, "voltage_kv": 35})
