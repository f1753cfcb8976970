"""Values typed by people: CLI arguments and CSV cells. For the CLI, argparse turns the
errors into `getpower <command>: error: argument --start: ...` and exit code 2."""
from __future__ import annotations

import argparse
import re
from datetime import date

from core.dates import strict_date

__all__ = ["iso_date", "limit", "strict_date", "year"]


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
