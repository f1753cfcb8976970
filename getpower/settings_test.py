"""Test settings: the real settings with jobs run inline (huey immediate mode)."""
import os

os.environ.setdefault("GETPOWER_HUEY_IMMEDIATE", "1")

from getpower.settings import *  # noqa: E402,F401,F403
from getpower.settings import HUEY  # noqa: E402

HUEY = {**HUEY, "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
AUDIT_KEY = "getpower-test-audit-key"
