"""Personal data at rest: SM4-GCM encryption, plus a keyed SM3 digest for equality lookups
(finding the same customer again without decrypting every row).

Keys come from settings (GETPOWER_PII_KEY), never from the database. Ciphertext layout:
"sm4gcm:v1:" + base64(nonce(12) || ciphertext || tag(16)).
"""
from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PREFIX = "sm4gcm:v1:"
NONCE_BYTES = 12
TAG_BYTES = 16


def _key(raw: str | bytes) -> bytes:
    """Derive the 16-byte SM4 key from the configured secret (any length) with SM3."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(raw.encode() if isinstance(raw, str) else raw)
    return digest.finalize()[:16]


def encrypt(plaintext: str, *, key: str | bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_key(key)), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt(token: str, *, key: str | bytes) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an SM4-GCM token")
    blob = base64.b64decode(token[len(PREFIX):])
    nonce, body, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_key(key)), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")


def lookup_digest(value: str, *, key: str | bytes) -> str:
    """Keyed SM3 of a normalised value: equal inputs give equal digests, the value stays secret."""
    mac = hmac.HMAC(_key(key) + b"lookup", hashes.SM3())
    mac.update(value.strip().upper().encode("utf-8"))
    return mac.finalize().hex()


def mask(value: str) -> str:
    """What staff screens show: 6101**********123X."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
