"""What other apps do when an application is energised, without applications importing them.

Apps register a function in their AppConfig.ready, e.g.
``ENERGISED_HOOKS["outages"] = network.customer_from_application`` (the site becomes a
customer on the network). Hooks run inside the energising transaction: if one fails, the
application is not energised either, so no customer is ever missing.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

ENERGISED_HOOKS: dict[str, Callable[[Any], Any]] = {}


def energised(application) -> dict[str, Any]:
    """Run every registered hook for a just-energised application; name → what it returned."""
    return {name: hook(application) for name, hook in ENERGISED_HOOKS.items()}
