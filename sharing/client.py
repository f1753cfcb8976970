"""The HTTP transport every connector uses: a timeout per attempt, retries with doubling
back-off on a refused connection, a timeout or a 5xx, and one clear error when the source
stays down. A 404 is an answer (nothing shared for that key), never retried."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass


class SourceUnavailable(Exception):
    def __init__(self, message: str, attempts: int):
        super().__init__(message)
        self.attempts = attempts


class NotShared(Exception):
    """The source answered: it holds nothing for this key."""


@dataclass(frozen=True)
class Answer:
    data: object
    signature: str
    body: dict
    attempts: int


def get(base_url: str, connector: str, key: str, *, timeout: float, retries: int, backoff: float,
        sleep: Callable[[float], None] = time.sleep) -> Answer:
    url = f"{base_url.rstrip('/')}/v1/{urllib.parse.quote(connector)}/{urllib.parse.quote(key, safe='')}"
    last = ""
    for attempt in range(1, retries + 2):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (configured URL)
                body = json.loads(response.read(1_000_000).decode("utf-8"))
            return Answer(data=body.get("data"), signature=body.get("signature", ""),
                          body={k: body.get(k) for k in ("connector", "key", "data")}, attempts=attempt)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise NotShared(f"{connector}: nothing shared for this key") from exc
            last = f"HTTP {exc.code}"
            if exc.code < 500:
                raise SourceUnavailable(f"{connector}: the source refused the request ({last})", attempt) from exc
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            last = str(getattr(exc, "reason", exc))
        if attempt <= retries:
            sleep(backoff * 2 ** (attempt - 1))
    raise SourceUnavailable(f"{connector}: the data-sharing service did not answer after {retries + 1} attempts ({last})",
                            retries + 1)
