"""What closing an application (withdrawal or rejection) ends in the apps built on it.

A plain registry, not signals: an app that holds live things about an application (unpaid
fees, booked visits, signing codes) registers one function here from its AppConfig.ready.
`application_reject` / `application_withdraw` call every entry inside their own transaction,
after the status has changed, so the closing and everything it ends commit together; each
entry writes its own events."""
from __future__ import annotations

from collections.abc import Callable

# name -> fn(*, application, by, now, reason) -> None
ON_CLOSE: dict[str, Callable[..., None]] = {}


def register(name: str, fn: Callable[..., None]) -> None:
    ON_CLOSE[name] = fn


def run(*, application, by, now, reason: str) -> None:
    for fn in ON_CLOSE.values():
        fn(application=application, by=by, now=now, reason=reason)
