"""One-way rules per customer: nobody who had zero investment loses it in a later version."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.loader import PolicyError, load_dir
from policies.profiles import FLAGS, Customer, zero_investment
from policies.schema import AREAS
from policies.tests.conftest import version_of

REGIONS_WITH_THE_RULE = ("zaozhuang", "zhejiang", "shaanxi")


def _lv(capacity, area, **flags):
    return Customer(voltage_kv=0.38, capacity_kva=capacity, supply="single", area=area, **flags)


@pytest.mark.parametrize("region", REGIONS_WITH_THE_RULE)
def test_each_region_declares_the_rule(policies, region):
    assert "zero_investment_never_shrinks" in {r.rule for r in policies.snapshots(region)[-1].document.one_way}


@settings(max_examples=300, deadline=None)
@given(
    region=st.sampled_from(REGIONS_WITH_THE_RULE),
    capacity=st.floats(min_value=1, max_value=400, allow_nan=False),
    area=st.sampled_from(AREAS),
    voltage=st.sampled_from((0.22, 0.38, 10, 35)),
    supply=st.sampled_from(("single", "dual")),
    flags=st.tuples(*[st.booleans() for _ in FLAGS]),
)
def test_no_customer_loses_zero_investment_from_one_version_to_the_next(policies, region, capacity, area, voltage, supply, flags):
    customer = Customer(voltage, capacity, supply, area, **dict(zip(FLAGS, flags, strict=True)))
    snapshots = policies.snapshots(region)
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        if zero_investment(before.document, customer) is not None:
            assert zero_investment(after.document, customer) is not None, (customer.describe(), before.version, after.version)


def test_a_rural_120_kva_sanling_customer_in_shaanxi_keeps_zero_investment(policies):
    customer = _lv(120, "rural", sanling=True)
    for on in (date(2020, 6, 1), date(2021, 6, 1), date(2022, 6, 1), date(2023, 6, 1)):
        assert zero_investment(policies.in_force("shaanxi", on).document, customer) == "lv_sanling", on


def test_a_zhejiang_sanling_customer_keeps_zero_investment_from_2020_on(policies):
    cap = policies.in_force("zhejiang", date(2020, 6, 1)).document.categories["lv_sanling"].applies_to.capacity_max
    customer = _lv(float(cap.value), "rural", sanling=True)
    for on in (date(2020, 6, 1), date(2021, 6, 1), date(2022, 6, 1), date(2023, 6, 1)):
        assert zero_investment(policies.in_force("zhejiang", on).document, customer) == "lv_sanling", on


def test_a_170_kva_sanling_customer_in_zaozhuang_keeps_zero_investment_in_every_year(policies):
    customer = _lv(170, "urban", sanling=True)
    for on in (date(2020, 6, 1), date(2021, 7, 1), date(2022, 6, 1)):
        assert zero_investment(policies.in_force("zaozhuang", on).document, customer) == "lv_sanling", on


def test_a_version_that_takes_zero_investment_from_some_customers_is_refused(edit):
    def cap_the_category(raw):
        applies_to = version_of(raw, "2021")["categories"]["lv_sanling"]["applies_to"]
        applies_to["capacity_max"] = {"value": 160, "unit": "kW", "kind": "limit", "source": "000_1faeb58a20a3753f.txt 附件2 第9项"}

    with pytest.raises(PolicyError) as caught:
        load_dir(edit("zaozhuang", cap_the_category))
    message = str(caught.value)
    assert "zaozhuang.yaml: versions[1] (2021): one-way rule zero_investment_never_shrinks" in message
    assert (
        "zero_investment.customer.lv_sanling: a 0.38 kV 161 kVA single supply, city_core, sanling customer has zero "
        "investment under version 2020 (lv_sanling) but not here" in message
    )
