"""Startup check of the platform SM2 key pair: a deployment that sets a private key without its
public key (or a typo in either) would sign contracts that never verify."""
from __future__ import annotations

from django.conf import settings
from django.core import checks
from gmssl import sm2


def key_pair_problem(private_key: str, public_key: str) -> str | None:
    try:
        d = int(private_key, 16)
    except (TypeError, ValueError):
        return "GETPOWER_SM2_PRIVATE_KEY is not hex"
    n = int(sm2.default_ecc_table["n"], 16)
    if not 0 < d < n - 1:
        return "GETPOWER_SM2_PRIVATE_KEY is out of range for the SM2 curve"
    derived = sm2.CryptSM2(private_key=private_key, public_key="")._kg(d, sm2.default_ecc_table["g"])
    if derived.lower() != (public_key or "").lower():
        return "GETPOWER_SM2_PUBLIC_KEY is not the public key of GETPOWER_SM2_PRIVATE_KEY"
    return None


@checks.register()
def sm2_key_pair(app_configs, **kwargs):
    problem = key_pair_problem(settings.SM2_PRIVATE_KEY, settings.SM2_PUBLIC_KEY)
    return [checks.Error(problem, id="contracts.E001")] if problem else []
