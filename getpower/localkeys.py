"""Random keys for a machine that has not been given its own: generated on first start into
the data directory (never the repository), then reused, so `make run` works on a fresh
checkout without anyone running on keys that are published in the source code.

Production sets every key through the environment; `core.checks` refuses the keys below
that were once committed to this repository whenever DEBUG is off.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

FILE_NAME = "local-keys.json"

# Keys that were committed to the repository at some point: public, so never acceptable
# outside DEBUG (an ID number was decrypted and an event forged with them).
PUBLISHED = {
    "SECRET_KEY": {"getpower-insecure-local-key-change-me"},
    "GETPOWER_AUDIT_KEY": {"getpower-local-audit-key"},
    "GETPOWER_PII_KEY": {"getpower-local-pii-key"},
    "GETPOWER_SM2_PRIVATE_KEY": {"66c2806a0bc8ad3b538f71387a7f1c1cfd3e7a05e73991d5fac0c4eb67ca74fa"},
}


def sm2_key_pair() -> tuple[str, str]:
    """A fresh SM2 pair as (private hex, public x||y hex)."""
    from gmssl import sm2

    n = int(sm2.default_ecc_table["n"], 16)
    d = secrets.randbelow(n - 2) + 1
    private = f"{d:064x}"
    public = sm2.CryptSM2(private_key=private, public_key="")._kg(d, sm2.default_ecc_table["g"])
    return private, public


def _generate() -> dict[str, str]:
    private, public = sm2_key_pair()
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GETPOWER_AUDIT_KEY": secrets.token_urlsafe(32),
        "GETPOWER_PII_KEY": secrets.token_urlsafe(32),
        "GETPOWER_SM2_PRIVATE_KEY": private,
        "GETPOWER_SM2_PUBLIC_KEY": public,
    }


def load(data_dir: Path) -> dict[str, str]:
    """The machine's keys, created once (owner-only file) and read back afterwards."""
    path = Path(data_dir) / FILE_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    keys = _generate()
    try:
        # O_EXCL: two processes starting together keep whichever file was written first.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return json.loads(path.read_text(encoding="utf-8"))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(keys, handle, indent=2)
    return keys


def setting(name: str, data_dir: Path) -> str:
    """The environment's value of `name`, else the machine's generated one."""
    value = os.environ.get(name)
    if value is not None:
        return value
    return load(data_dir)[name]
