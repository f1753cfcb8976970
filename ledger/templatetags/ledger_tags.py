"""中文 for the ledger's codes on pages: {{ code|ledger_label:"ledger_status" }}."""
from django import template

from ledger.labels import LABELS
from ledger.units import unit_names
from policies.labels import UNITS

register = template.Library()


@register.filter
def ledger_label(code, namespace):
    return LABELS.get(namespace, {}).get(code, code) if code is not None else "—"


@register.filter
def unit_list(codes):
    return "、".join(unit_names(codes or []))


@register.filter
def quantity(target):
    """A target or live value with its unit: 3 个工作日, 1.8 小时, 100%."""
    value = target["value"] if isinstance(target, dict) else target.value
    unit = target["unit"] if isinstance(target, dict) else target.unit
    value_max = target.get("value_max") if isinstance(target, dict) else None
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    if value_max is not None:
        shown += f"–{value_max:g}" if isinstance(value_max, float) else f"–{value_max}"
    name = UNITS.get(unit, unit)
    return f"{shown}{name}" if unit == "percent" else f"{shown} {name}"


STATUS_BADGE = {"done": "", "in_progress": "", "not_started": "", "at_risk": "warn", "overdue": "bad"}


@register.filter
def status_badge(code):
    return STATUS_BADGE.get(code, "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)
