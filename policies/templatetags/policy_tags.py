"""Chinese labels for policy codes and one way to print a number with its citation."""
import re

from django import template
from django.utils.html import format_html

from policies.labels import FLAT as LABELS
from policies.labels import UNITS
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


_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
# "（见注 zj-town-saidi-2023）": a pointer into our own notes, not for people.
_NOTE_REF = re.compile(r"[（(]?见注\s*[a-z0-9-]+(?:[、,，]\s*[a-z0-9-]+)*[)）]?")


@register.filter
def plain(text: str | None) -> str:
    """Words for people: no pointers to internal notes."""
    return _NOTE_REF.sub("", text or "").strip()


@register.filter
def src(source: str, seed: str | None) -> str:
    """A citation without the page's own seed file name (the page names its document once)."""
    return cite(source, seed, None)


@register.simple_tag(takes_context=True)
def source(context, text: str) -> str:
    """A citation as people read it: another seed's file name becomes that document's name."""
    return cite(text, getattr(context.get("doc"), "seed", None), context.get("names"))


def cite(source: str, seed: str | None, names: dict | None) -> str:
    """A citation for people (pages, Excel, PDF): seed file names become document names."""
    if seed and source.startswith(seed):
        source = source[len(seed):].strip() or source
    return plain(_FILE.sub(lambda m: (names or {}).get(m.group(0), "另一地区的文件"), source))


@register.simple_tag(takes_context=True)
def cited(context, quantity: Quantity | None):
    """The number, then its source in small print; a setting shows its reason instead."""
    if quantity is None:
        return "—"
    doc = context.get("doc")
    if quantity.source == "setting":
        origin = f"系统设置：{quantity.reason}"
    else:
        origin = cite(quantity.source, getattr(doc, "seed", None), context.get("names"))
    extra = f"；{plain(quantity.derived)}" if quantity.derived else ""
    note = f"；{plain(quantity.note)}" if quantity.note else ""
    return format_html(
        '<span class="num">{}</span> <span class="cite">〔{}{}{}〕</span>', amount(quantity), origin, extra, note
    )
