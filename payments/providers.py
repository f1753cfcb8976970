"""Payment providers behind one interface: a plain registry from code to provider.

A real gateway (UnionPay, WeChat Pay, Alipay) is one more entry whose `charge` calls out and
reports the outcome; `local` is the reference provider that completes in-process."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class Charge:
    succeeded: bool
    reference: str
    failure: str = ""


class Provider(Protocol):
    name: str

    def charge(self, *, amount: Decimal, description: str, idempotency_key: str) -> Charge: ...


class LocalProvider:
    """Completes every well-formed charge immediately with a unique provider reference."""

    name = "本地参考支付"

    def charge(self, *, amount: Decimal, description: str, idempotency_key: str) -> Charge:
        if amount <= 0:
            return Charge(False, "", "amount must be positive")
        return Charge(True, f"LOCAL-{uuid.uuid4().hex}")


PROVIDERS: dict[str, Provider] = {"local": LocalProvider()}
DEFAULT_PROVIDER = "local"
