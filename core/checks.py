"""System checks that stop a server from running on keys or passwords anyone can read in
this repository. Errors, not warnings: `getpower check` exits non-zero and `getpower serve`
(like every command that runs checks) refuses to start while one of them holds.

In DEBUG (a developer's machine) they are silent."""
from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from getpower.localkeys import PUBLISHED

# setting name in Django → the variable an operator sets
_KEYS = {
    "SECRET_KEY": "SECRET_KEY",
    "AUDIT_KEY": "GETPOWER_AUDIT_KEY",
    "PII_KEY": "GETPOWER_PII_KEY",
    "SM2_PRIVATE_KEY": "GETPOWER_SM2_PRIVATE_KEY",
}


@checks.register(checks.Tags.security)
def published_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    errors = []
    for setting, variable in _KEYS.items():
        value = getattr(settings, setting, "")
        if not value:
            errors.append(checks.Error(f"{variable} is empty", hint=f"set {variable} in the environment",
                                       id="getpower.E001"))
        elif value in PUBLISHED.get(variable, ()):
            errors.append(checks.Error(
                f"{variable} is the default published in the getpower repository",
                hint=f"set {variable} to a secret of this deployment (or unset it to generate a local one)",
                id="getpower.E002",
            ))
    return errors


@checks.register(checks.Tags.security)
def published_admin_password(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An administrator still on the password older `bootstrap` runs printed."""
    if settings.DEBUG:
        return []
    from django.contrib.auth import get_user_model

    try:
        admins = list(get_user_model().objects.filter(is_superuser=True, is_active=True).only("username", "password"))
    except DatabaseError:
        return []  # no database yet (before the first migrate): nobody to check
    errors = []
    for user in admins:
        if any(user.check_password(known) for known in settings.PUBLISHED_ADMIN_PASSWORDS):
            errors.append(checks.Error(
                f"administrator {user.username!r} has the default password published in the getpower repository",
                hint=f"getpower changepassword {user.username}",
                id="getpower.E003",
            ))
    return errors
