"""Values typed by people: CLI arguments and CSV cells. For the CLI, argparse turns the
errors into `getpower <command>: error: argument --start: ...` and exit code 2."""
from __future__ import annotations

import argparse
import re
from datetime import date

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def strict_date(value: str) -> date:
    """YYYY-MM-DD and nothing else: fromisoformat alone would also take 20261001 or 2026-W40."""
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"'{value}' is not a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date YYYY-MM-DD") from None


def iso_date(value: str) -> date:
    try:
        return strict_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def limit(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number 0 or more, got '{value}'")
    return int(value)


def year(value: str) -> int:
    if not re.fullmatch(r"\d{4}", value):
        raise argparse.ArgumentTypeError(f"expected a year like 2027, got '{value}'")
    return int(value)
