"""Payment providers behind one interface: a plain registry from code to provider.

A real gateway (UnionPay, WeChat Pay, Alipay) is one more entry whose `charge` calls out and
reports the outcome, and whose `status` asks the gateway what became of a charge (what the
reconciliation job uses after a crash); `local` is the reference provider.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class Charge:
    succeeded: bool
    reference: str
    failure: str = ""


class Provider(Protocol):
    name: str

    def charge(self, *, amount: Decimal, description: str, idempotency_key: str) -> Charge: ...

    def status(self, *, idempotency_key: str) -> Charge | None:
        """The outcome of the charge made with this key, or None if the provider never took it."""


class LocalProvider:
    """Completes every well-formed charge at once with a unique reference, and keeps its own
    ledger (a file of its own, as a gateway keeps its records apart from ours), so a charge
    survives our process dying before it heard the answer. A repeated key answers the first
    outcome, as gateways do. `LOCAL_PAY_REQUEST_DELAY` / `LOCAL_PAY_ANSWER_DELAY` (seconds)
    play the network's latency before the charge is taken and before its answer arrives."""

    name = "本地参考支付"

    @property
    def ledger(self) -> Path:
        return Path(settings.LOCAL_PAY_LEDGER)

    def charge(self, *, amount: Decimal, description: str, idempotency_key: str) -> Charge:
        time.sleep(settings.LOCAL_PAY_REQUEST_DELAY)
        taken = self.status(idempotency_key=idempotency_key)
        if taken is None:
            taken = (Charge(False, "", "amount must be positive") if amount <= 0
                     else Charge(True, f"LOCAL-{uuid.uuid4().hex}"))
            self._write(idempotency_key, amount, taken)
        time.sleep(settings.LOCAL_PAY_ANSWER_DELAY)
        return taken

    def status(self, *, idempotency_key: str) -> Charge | None:
        try:
            lines = self.ledger.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return None
        for line in lines:
            row = json.loads(line)
            if row["key"] == idempotency_key:
                return Charge(row["succeeded"], row["reference"], row["failure"])
        return None

    def _write(self, key: str, amount: Decimal, outcome: Charge) -> None:
        self.ledger.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"key": key, "amount": str(amount), "succeeded": outcome.succeeded,
                           "reference": outcome.reference, "failure": outcome.failure}) + "\n"
        fd = os.open(self.ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)


PROVIDERS: dict[str, Provider] = {"local": LocalProvider()}
DEFAULT_PROVIDER = "local"
