"""Responsible units (责任单位) of the task ledgers, as organisation kinds. Pure: no Django.

A seed names units by role ("各供电企业", "各地市能源（电力）主管部门", "其他相关政府部门"),
never by organisation, so a task is matched to whoever holds that role in the region: an
organisation's kind, its division level, and for government departments its department code.
"""
from __future__ import annotations

from dataclasses import dataclass

# The departments that decide power-access approvals (shared with approvals/).
APPROVAL_DEPARTMENTS = (
    "natural_resources",
    "housing_construction",
    "roads",
    "greening",
    "traffic_police",
    "administrative_approval",
)


@dataclass(frozen=True)
class Unit:
    name: str
    kinds: tuple[str, ...]  # accounts.Organisation.Kind values
    level: str | None = None  # accounts.Division.Level value; None: any level
    departments: tuple[str, ...] = ()  # for gov_department: any of these; empty: any department


UNITS: dict[str, Unit] = {
    "energy_bureau": Unit("各级能源（电力）主管部门", ("energy_bureau",)),
    "energy_bureau_city": Unit("市（地市）能源（电力）主管部门", ("energy_bureau",), "city"),
    "energy_bureau_province": Unit("省能源局", ("energy_bureau",), "province"),
    # 发改委 is the energy authority's parent; in these provinces it also sets prices.
    "development_reform_province": Unit("省发展改革委", ("energy_bureau",), "province"),
    "price_authority": Unit("价格主管部门", ("energy_bureau",)),
    "gov_departments": Unit("其他相关政府部门", ("gov_department",), None, APPROVAL_DEPARTMENTS),
    "government": Unit("各级政府", ("energy_bureau", "gov_department")),
    "utility": Unit("各供电企业", ("utility",)),
    "utility_state_grid": Unit("省电力公司", ("utility",)),
    "utility_local": Unit("省地方电力公司", ("utility",)),
    "regulator": Unit("能源监管机构", ("regulator",)),
}


def unit_names(codes: list[str] | tuple[str, ...]) -> list[str]:
    return [UNITS[code].name for code in codes]


def holds(unit: str, *, kind: str, level: str, department: str = "") -> bool:
    """Does an organisation of this kind, division level and department answer for `unit`?"""
    spec = UNITS[unit]
    if kind not in spec.kinds:
        return False
    if spec.level is not None and level != spec.level:
        return False
    return not (kind == "gov_department" and spec.departments and department not in spec.departments)


def overlap(a: str, b: str) -> bool:
    """Could one organisation answer for both units? ("各供电企业" and "省电力公司": yes;
    a city energy bureau and the provincial one: no.) Used to list a unit's tasks."""
    ua, ub = UNITS[a], UNITS[b]
    if not set(ua.kinds) & set(ub.kinds):
        return False
    if ua.level and ub.level and ua.level != ub.level:
        return False
    return not (ua.departments and ub.departments and not set(ua.departments) & set(ub.departments))
