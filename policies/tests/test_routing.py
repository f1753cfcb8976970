"""Approval routing at each region's boundaries, read from the policy files (no database)."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.resolve import ResolutionError
from policies.routing import route
from policies.schema import CROSSING_CODES
from workdays import clock
from workdays.tests.schedules import SCHEDULE

BEFORE = date(2020, 12, 31)  # the 2021 version brings the exemption (附件2 第18项 2021年6月底前)
AFTER = date(2021, 1, 1)


def _route(policies, region, on, **facts):
    doc = policies.in_force(region, on).document
    facts.setdefault("submitted", on)
    return route(doc, schedule=SCHEDULE, **facts)


def _zz_bounds(policies):
    cond = policies.in_force("zaozhuang", AFTER).document.approvals.exemption.conditions
    return cond.capacity_max.value, cond.line_length_max.value


LV = dict(voltage_kv=0.38, sanling=True)


@pytest.mark.parametrize("delta,exempt", [(-1, True), (0, True), (1, False)])
def test_zaozhuang_capacity_bound_from_july_2021(policies, delta, exempt):
    kw_max, length_max = _zz_bounds(policies)
    assert (kw_max, length_max) == (160, 200)  # 159 / 160 / 161 kW
    result = _route(policies, "zaozhuang", AFTER, kw=kw_max + delta, length_m=length_max, **LV)
    assert result.exempt is exempt
    if exempt:
        assert result.routes == ["exempt"] and result.departments == [] and result.due is None
        assert result.rule == "approvals.exemption" and "三(一)2" in result.source
    else:
        assert result.routes == ["standard"] and result.rule == "approvals.limits.lv"
        assert "natural_resources" in result.departments
        assert any("160" in line for line in result.why)


@pytest.mark.parametrize("delta,exempt", [(-1, True), (0, True), (1, False)])
def test_zaozhuang_length_bound_from_july_2021(policies, delta, exempt):
    kw_max, length_max = _zz_bounds(policies)
    result = _route(policies, "zaozhuang", AFTER, kw=kw_max, length_m=length_max + delta, **LV)
    assert result.exempt is exempt


def test_zaozhuang_before_july_2021_has_no_exemption(policies):
    result = _route(policies, "zaozhuang", BEFORE, kw=100, length_m=50, **LV)
    assert result.exempt is False
    assert result.version == "2020" and result.routes == ["standard"]
    assert result.due is None and result.limits == []  # the plan gives no approval limit


def test_zaozhuang_needs_sanling_and_no_interested_parties(policies):
    assert _route(policies, "zaozhuang", AFTER, voltage_kv=0.38, kw=100, length_m=50).exempt is False
    assert _route(policies, "zaozhuang", AFTER, kw=100, length_m=50, interested_parties=True, **LV).exempt is False


@pytest.mark.parametrize(
    "crossing,routes,departments",
    [
        ("expressway", ["standard"], {"housing_construction", "traffic_police", "natural_resources"}),
        ("trunk_road", ["standard"], {"housing_construction", "traffic_police", "natural_resources"}),
        ("highway", ["standard"], {"roads", "natural_resources"}),
        ("city_road", ["notification_commitment", "advance_notice"], {"roads", "greening", "administrative_approval"}),
        ("green_space", ["notification_commitment", "advance_notice"], {"roads", "greening", "administrative_approval"}),
        ("trees", ["notification_commitment", "advance_notice"], {"roads", "greening", "administrative_approval"}),
        ("ancient_trees", ["standard"], {"greening", "natural_resources"}),
        ("national_road", ["road_works_agreement"], {"roads"}),
        ("provincial_road", ["road_works_agreement"], {"roads"}),
        ("county_road", ["road_works_agreement"], {"roads"}),
    ],
)
def test_zaozhuang_each_crossing_under_the_exemption(policies, crossing, routes, departments):
    result = _route(policies, "zaozhuang", AFTER, kw=100, length_m=100, crossings=[crossing], **LV)
    assert result.exempt is False
    assert result.routes == routes
    assert set(result.departments) == departments
    assert result.rule.startswith("approvals.exemption.exceptions[")


def test_zaozhuang_advance_notice_is_three_days(policies):
    # 2021-09-17 (Fri) + 3 days = Mon 09-20, which is 中秋 (2021-09-19..21): moves to Wed 09-22.
    submitted = date(2021, 9, 17)
    exception = policies.in_force("zaozhuang", AFTER).document.approvals.exemption.exceptions[1]
    result = _route(policies, "zaozhuang", submitted, kw=100, length_m=100, crossings=["green_space"], **LV)
    notice = exception.advance_notice
    assert [(x.value, x.unit) for x in result.limits] == [(notice.value, notice.unit)]
    assert result.due == clock.add(submitted, notice.value, notice.unit, SCHEDULE) == date(2021, 9, 22)


def test_zaozhuang_standard_crossing_binds_over_notification(policies):
    result = _route(policies, "zaozhuang", AFTER, kw=100, length_m=100, crossings=["green_space", "expressway"], **LV)
    assert result.routes[0] == "standard" and "notification_commitment" in result.routes
    assert result.rule == "approvals.exemption.exceptions[0]"


def test_zaozhuang_crossings_before_july_2021_go_to_their_departments(policies):
    result = _route(policies, "zaozhuang", BEFORE, kw=100, length_m=100, crossings=["city_road", "trees"], **LV)
    assert result.routes == ["standard"]
    assert result.departments == ["natural_resources", "housing_construction", "greening", "traffic_police"]


@pytest.mark.parametrize("delta,exempt", [(-1, True), (0, True), (1, False)])
def test_zhejiang_lv_200_m(policies, delta, exempt):
    on = date(2022, 3, 1)
    bound = policies.in_force("zhejiang", on).document.approvals.exemption.conditions.line_length_max.value
    assert bound == 200
    # Zhejiang sets no capacity bound: 161 kW is exempt as long as the line is short.
    result = _route(policies, "zhejiang", on, voltage_kv=0.38, kw=161, length_m=bound + delta)
    assert result.exempt is exempt
    if exempt:
        assert result.routes == ["notification_commitment", "filing", "cancelled"]
    else:
        assert result.routes == ["parallel"] and result.rule == "approvals.limits.lv"


def test_zhejiang_10kv_earliest_of_two_limits_binds(policies):
    # Submitted Fri 2022-09-23: 7 days → Fri 09-30; 10 working days → 5 in September, then the
    # 调休 weekend 10-08/09 and 10-10..12 after 国庆 → 10-12. The earlier, 09-30, binds.
    submitted = date(2022, 9, 23)
    result = _route(policies, "zhejiang", submitted, voltage_kv=10, kw=800, length_m=1500)
    assert result.rule == "approvals.limits.hv_10_20kv"
    units = {x.unit: x for x in result.limits}
    assert units["day"].value == 7 and units["workday"].value == 10
    assert units["day"].due == date(2022, 9, 30)
    assert units["workday"].due == date(2022, 10, 12)
    assert result.due == min(x.due for x in result.limits) == date(2022, 9, 30)


def test_zhejiang_lv_workdays_bind_over_a_long_holiday(policies):
    # Submitted Thu 2022-09-29: 5 working days → 10-11 (after 国庆); 7 days → 10-06 → moved to 10-08
    # (a 调休 working Saturday). Here the day limit is again earlier.
    submitted = date(2022, 9, 29)
    result = _route(policies, "zhejiang", submitted, voltage_kv=0.38, kw=50, length_m=400)
    assert {x.unit: x.due for x in result.limits} == {"workday": date(2022, 10, 11), "day": date(2022, 10, 8)}
    assert result.due == date(2022, 10, 8)


@pytest.mark.parametrize("kw,length", [(159, 199), (160, 200), (161, 201)])
def test_shaanxi_explores_so_never_exempts_automatically(policies, kw, length):
    result = _route(policies, "shaanxi", date(2022, 6, 1), voltage_kv=0.38, kw=kw, length_m=length, sanling=True)
    assert result.exempt is False
    assert result.routes == ["parallel"]
    assert result.limits[0].value == 5 and result.limits[0].unit == "workday"
    assert any("探索" in line for line in result.why)


def test_35kv_has_no_limit_in_any_region(policies):
    for region in ("zaozhuang", "zhejiang", "shaanxi"):
        result = _route(policies, region, date(2022, 6, 1), voltage_kv=35, kw=5000, length_m=3000)
        assert result.rule.endswith("hv35") and result.due is None


@pytest.mark.parametrize(
    "facts,field",
    [
        (dict(kw=-1), "kw"),
        (dict(kw=1e9), "kw"),
        (dict(length_m=-5), "length_m"),
        (dict(length_m=float("nan")), "length_m"),
        (dict(voltage_kv=0), "voltage_kv"),
        (dict(voltage_kv=3), "voltage_kv"),  # neither LV nor HV
        (dict(crossings=["motorway"]), "crossing"),
    ],
)
def test_bad_input_names_the_field(policies, facts, field):
    base = dict(voltage_kv=0.38, kw=10, length_m=10) | facts
    with pytest.raises(ResolutionError) as caught:
        _route(policies, "zaozhuang", AFTER, **base)
    assert caught.value.field == field


@settings(max_examples=150, deadline=None)
@given(
    kw=st.floats(0, 2000),
    length=st.floats(0, 5000),
    sanling=st.booleans(),
    parties=st.booleans(),
    crossings=st.lists(st.sampled_from(CROSSING_CODES), max_size=4, unique=True),
    day=st.dates(date(2021, 1, 1), date(2026, 12, 31)),
)
def test_properties(policies, kw, length, sanling, parties, crossings, day):
    for region in ("zaozhuang", "zhejiang", "shaanxi"):
        result = _route(
            policies, region, day, voltage_kv=0.38, kw=kw, length_m=length, sanling=sanling,
            interested_parties=parties, crossings=crossings,
        )
        # Exempt means no department and no clock; otherwise the due date is the earliest limit.
        assert result.exempt == (result.departments == [] and result.due is None and result.rule == "approvals.exemption")
        assert result.due == min((x.due for x in result.limits), default=None)
        assert all(x.due > day for x in result.limits if x.value > 0)
        # More crossings never make a case exempt that was not.
        fewer = _route(policies, region, day, voltage_kv=0.38, kw=kw, length_m=length, sanling=sanling,
                       interested_parties=parties, crossings=crossings[:-1])
        if not fewer.exempt:
            assert not result.exempt
