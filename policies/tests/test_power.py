"""kW ↔ kVA: a capacity stated in kW comes back unchanged, and never more than the kVA."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies.power import kva_from_kw, kw_from_kva

TENTHS = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n) / 10)
FACTORS = st.integers(min_value=50, max_value=100).map(lambda n: Decimal(n) / 100)


@given(kw=TENTHS, factor=FACTORS)
def test_a_kw_capacity_survives_the_round_trip(kw, factor):
    kva = kva_from_kw(kw, factor)
    assert kw_from_kva(kva, factor) == kw
    assert kva >= kw  # apparent power is never below real power
    assert abs(kva * factor - kw) <= Decimal("0.05")  # one tenth of a kVA, rounded


def test_one_tenth_is_rounded_half_up_and_comes_back():
    assert kva_from_kw(Decimal("100"), "0.6") == Decimal("166.7")  # 166.66…
    assert kw_from_kva(Decimal("166.7"), "0.6") == Decimal("100.0")  # 100.02


@pytest.mark.parametrize("factor", [0, -0.5, 1.2])
def test_a_power_factor_outside_0_to_1_is_refused(factor):
    with pytest.raises(ValueError, match="power factor"):
        kva_from_kw(Decimal("10"), factor)
