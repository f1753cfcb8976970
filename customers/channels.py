"""Where one-time codes go: a plain registry of channels. An SMS gateway or e-mail relay is
one more entry here; `console` (the default) writes the code to the log for development."""
from __future__ import annotations

import logging
from collections import deque
from typing import Protocol

from django.conf import settings

logger = logging.getLogger("getpower.customers.channels")


class CodeChannel(Protocol):
    def send(self, *, destination: str, message: str) -> None: ...


class ConsoleChannel:
    """Logs the message: for development and tests, never for production users."""

    def __init__(self) -> None:
        # The last few messages, for tests and local demos to read back; bounded so a
        # long-running server does not grow.
        self.sent: deque[tuple[str, str]] = deque(maxlen=200)

    def send(self, *, destination: str, message: str) -> None:
        self.sent.append((destination, message))
        logger.warning("one-time code to %s: %s", destination, message)


CHANNELS: dict[str, CodeChannel] = {"console": ConsoleChannel()}


def default_channel() -> str:
    return getattr(settings, "GETPOWER_CODE_CHANNEL", "console")
