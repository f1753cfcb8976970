"""What must be recomputed when a year's schedule changes.

Apps that store deadlines register a function here (in their AppConfig.ready), e.g.
``DEADLINE_RECOMPUTERS["applications"] = recompute_open_stages``. When a year is
imported or synced, each function is called with that year and returns how many
deadlines it changed; the import reports and logs the counts.
"""
from __future__ import annotations

from collections.abc import Callable

DEADLINE_RECOMPUTERS: dict[str, Callable[[int], int]] = {}


def recompute_deadlines(year: int) -> dict[str, int]:
    """Run every registered recomputer for `year`; name → deadlines changed."""
    return {name: recompute(year) for name, recompute in DEADLINE_RECOMPUTERS.items()}
