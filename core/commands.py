"""What every `getpower` command does the same way: JSON on stdout, a refused input as one
line naming the argument the person typed (exit 2), a person named by --user or --by, a date
or directory argument, a small server run until Ctrl-C. Commands keep only what is their own."""
from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from accounts import queries as account_queries
from core.dates import strict_date
from core.errors import DomainError


def to_json(value, *, indent: int | None = None) -> str:
    """JSON as the commands print it: Chinese stays readable."""
    return json.dumps(value, ensure_ascii=False, indent=indent)


def refused(exc: DomainError, *, arguments: Mapping[str, str] | None = None, unnamed: str | None = None,
            returncode: int = 2) -> CommandError:
    """`ARGUMENT: message` for the first field the error names. A field is the option `--field`
    (`voltage_kv` is `--voltage-kv`) unless `arguments` says what the person typed for it; an
    error naming no field is `unnamed: message`, or its message alone without `unnamed`."""
    field, message = next(iter(exc.fields.items()), (None, exc.message))
    if field is None:
        return CommandError(f"{unnamed}: {message}" if unnamed else message, returncode=returncode)
    argument = (arguments or {}).get(field, "--" + field.replace("_", "-"))
    return CommandError(f"{argument}: {message}", returncode=returncode)


def named_user(username: str, *, argument: str, active: bool = False, returncode: int = 2):
    """The account an operator named, or exit naming the argument (`--user: no user 'x'`)."""
    user = account_queries.active_user(username) if active else account_queries.any_user(username)
    if user is None:
        raise CommandError(f"{argument}: no {'active ' if active else ''}user {username!r}", returncode=returncode)
    return user


def date_argument(value: str) -> date:
    """argparse type for YYYY-MM-DD (core.dates.strict_date): argparse names the argument, exit 2."""
    try:
        return strict_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def directory_argument(path: str | None, *, argument: str = "--path") -> Path | None:
    """The directory an operator named (None when they named none), or exit 2 naming the argument."""
    if not path:
        return None
    if not Path(path).is_dir():
        raise CommandError(f"{argument}: no such directory: {path}", returncode=2)
    return Path(path)


def serve_until_interrupted(server) -> None:
    """Run a small HTTP server (a witness, a reference service) until Ctrl-C, then close it."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
