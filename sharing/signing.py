"""Signed JSON between a government data source and getpower: Ed25519 over canonical JSON.
Pure (no Django): the reference service signs, the connector verifies."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def private_key(seed: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed.encode("utf-8")).digest())


def public_key_b64(seed: str) -> str:
    raw = private_key(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(data: Any, *, seed: str) -> str:
    return base64.b64encode(private_key(seed).sign(canonical(data))).decode()


def verify(data: Any, signature: str, *, public_key: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), canonical(data))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
