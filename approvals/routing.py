"""Routing for the command line, the API and the staff page: the policy in force on a date,
the official calendar, and the pure `policies.routing.route` between them."""
from __future__ import annotations

from datetime import date

from core.errors import invalid
from policies import queries as policy_queries
from policies.resolve import ResolutionError
from policies.routing import Routing, route
from workdays.schedule import get_schedule


def route_works(
    *,
    region: str,
    on: date,
    voltage_kv: float,
    kw: float,
    length_m: float,
    sanling: bool = False,
    interested_parties: bool = False,
    crossings: list[str] | tuple[str, ...] = (),
    submitted: date | None = None,
) -> Routing:
    """The routes of one works under `region`'s policy in force on `on`; counted from
    `submitted` (default: `on`). Raises NotFound (region, on) or InvalidInput (the field)."""
    version = policy_queries.version_in_force(region=region, on=on)
    try:
        return route(
            version.document,
            voltage_kv=voltage_kv,
            kw=kw,
            length_m=length_m,
            sanling=sanling,
            interested_parties=interested_parties,
            crossings=crossings,
            submitted=submitted or on,
            schedule=get_schedule(),
        )
    except ResolutionError as exc:
        raise invalid(exc.field, exc.message) from exc
