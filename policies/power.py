"""kW ↔ kVA through a power factor (real power = apparent power × cos φ). Pure, no Django.

Capacities are kept to one decimal (0.1 kVA, as applications store them). The rounding is
chosen so that a capacity stated in kW survives the trip: kw_from_kva(kva_from_kw(kw)) == kw
for every kW with one decimal, so a customer at exactly a kW threshold stays within it."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

STEP = Decimal("0.1")


def _factor(power_factor) -> Decimal:
    factor = Decimal(str(power_factor))
    if not 0 < factor <= 1:
        raise ValueError(f"a power factor is above 0 and at most 1, not {power_factor}")
    return factor


def kva_from_kw(kw: Decimal, power_factor) -> Decimal:
    return (Decimal(kw) / _factor(power_factor)).quantize(STEP, rounding=ROUND_HALF_UP)


def kw_from_kva(kva: Decimal, power_factor) -> Decimal:
    return (Decimal(kva) * _factor(power_factor)).quantize(STEP, rounding=ROUND_HALF_UP)
