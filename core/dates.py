"""The one strict date parser: YYYY-MM-DD and nothing else, inside the years the product
handles. `date.fromisoformat` alone also takes 20261001 or 2026-W40, and pydantic takes a
Unix timestamp; a year like 9999 overflows the first deadline computed from it."""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator

from core.errors import invalid

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Wide enough for every real date (older ones get the calendar's own "outside" answer), narrow
# enough that date arithmetic on the result never overflows.
EARLIEST = date(1900, 1, 1)
LATEST = date(2099, 12, 31)


def strict_date(value: str) -> date:
    """Parse YYYY-MM-DD between EARLIEST and LATEST; ValueError with a readable message otherwise."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError(f"'{value}' is not a date YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date YYYY-MM-DD") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"'{value}' is outside {EARLIEST.year}–{LATEST.year}")
    return day


def parse_date(field: str, value: str) -> date:
    """strict_date for a named input: the error is an InvalidInput naming the field."""
    try:
        return strict_date(value)
    except ValueError as exc:
        raise invalid(field, str(exc)) from None


def _schema_date(value):
    if isinstance(value, date):
        if not EARLIEST <= value <= LATEST:
            raise ValueError(f"outside {EARLIEST.year}–{LATEST.year}")
        return value
    return strict_date(value)


# The API schema type: a JSON string YYYY-MM-DD (no timestamps, no week dates).
StrictDate = Annotated[date, BeforeValidator(_schema_date)]
