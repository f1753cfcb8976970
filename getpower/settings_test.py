"""Test settings: the real settings with jobs run inline (huey immediate mode) and keys of
their own, so tests never read or create the machine's local keys."""
import os
import tempfile

os.environ.setdefault("GETPOWER_HUEY_IMMEDIATE", "1")
# Test-only keys (not secret, and not in the list of published defaults the checks refuse, so
# subprocess tests with DEBUG off start). The SM2 pair is a valid pair generated for tests.
os.environ.setdefault("SECRET_KEY", "getpower-test-secret-key-not-for-any-server")
os.environ.setdefault("GETPOWER_PII_KEY", "getpower-test-pii-key")
os.environ.setdefault("GETPOWER_AUDIT_KEY", "getpower-test-audit-key")
os.environ.setdefault("GETPOWER_SM2_PRIVATE_KEY", "bd80d8a9e7b21673fa09f902cc342afbce9fd8b5b39956b32eccb0533074d691")
os.environ.setdefault(
    "GETPOWER_SM2_PUBLIC_KEY",
    "7d718195d66fd7b334f4a0d7c3da4d0dc6fd3d0157f8d556c9a32e4190b2313f"
    "e06624431265203b70f6a4d5453a5d73c5717b75473245689e075a7705d633c2",
)
os.environ.setdefault("GETPOWER_HTTPS", "0")
# Never the developer's anchors: a test that anchors gives its own store.
os.environ.setdefault("GETPOWER_ANCHOR_STORE", f"file:{tempfile.mkdtemp(prefix='getpower-anchors-')}/anchors.jsonl")
os.environ.setdefault("GETPOWER_LOCAL_PAY_LEDGER",
                      f"{tempfile.mkdtemp(prefix='getpower-pay-')}/local-pay-ledger.jsonl")
# Each test stores the calendar years and policies its story needs.
os.environ.setdefault("GETPOWER_LOAD_DATA_ON_MIGRATE", "0")

from getpower.settings import *  # noqa: E402,F401,F403
from getpower.settings import HUEY  # noqa: E402

HUEY = {**HUEY, "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
