"""Values typed by people: CLI arguments and CSV cells. For the CLI, argparse turns the
errors into `getpower <command>: error: argument --workdays: ...` and exit code 2. Dates
are core.commands.date_argument, shared by every command."""
from __future__ import annotations

import argparse
import re

from core.dates import strict_date

__all__ = ["limit", "strict_date", "year"]


def limit(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number 0 or more, got '{value}'")
    return int(value)


def year(value: str) -> int:
    if not re.fullmatch(r"\d{4}", value):
        raise argparse.ArgumentTypeError(f"expected a year like 2027, got '{value}'")
    return int(value)
