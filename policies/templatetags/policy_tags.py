"""Chinese labels for policy codes and one way to print a number with its citation."""
from django import template
from django.utils.html import format_html

from policies.labels import FLAT as LABELS, UNITS
from policies.schema import Quantity

register = template.Library()

@register.filter
def label(code):
    return LABELS.get(code, code) if code is not None else "—"


@register.filter
def names(codes, table):
    """Codes to their names from a {code: name} table, joined for reading."""
    return "、".join(table.get(code, code) for code in codes)


@register.filter
def unit_label(unit):
    return UNITS.get(unit, unit)


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@register.filter
def amount(quantity: Quantity | None) -> str:
    """30 天, 1–3 个工作日, 8%."""
    if quantity is None:
        return "—"
    shown = _number(quantity.value)
    if quantity.value_max is not None:
        shown += f"–{_number(quantity.value_max)}"
    unit = UNITS.get(quantity.unit, quantity.unit)
    return f"{shown}{unit}" if quantity.unit == "percent" else f"{shown} {unit}"


@register.filter
def src(source: str, seed: str | None) -> str:
    """A citation without the page's own seed file name, which the page states once."""
    if seed and source.startswith(seed):
        return source[len(seed):].strip() or source
    return source


@register.simple_tag(takes_context=True)
def cited(context, quantity: Quantity | None):
    """The number, then its source in small print; a setting shows its reason instead."""
    if quantity is None:
        return "—"
    doc = context.get("doc")
    if quantity.source == "setting":
        origin = f"系统设置：{quantity.reason}"
    else:
        origin = src(quantity.source, getattr(doc, "seed", None))
    extra = f"；{quantity.derived}" if quantity.derived else ""
    note = f"；{quantity.note}" if quantity.note else ""
    return format_html(
        '<span class="num">{}</span> <span class="cite">〔{}{}{}〕</span>', amount(quantity), origin, extra, note
    )
