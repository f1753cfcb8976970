"""One registry for the codes people read: `label("stage", "scheme_reply")` → "供电方案答复".

Each installed app may contribute `<app>/labels.py` with
    LABELS = {"namespace": {"code": "中文", ...}, ...}
collected on first use, like the event verbs. A code with no label comes back as itself,
so a page shows *something*; the page-rendering test fails on any raw code that leaks.
People are shown by name (`person`), event verbs by their 中文 (`verb`), server times in
Asia/Shanghai as `2026-12-01 22:02` (`local_time`).
"""
from __future__ import annotations

import datetime as dt
from importlib import import_module
from threading import Lock

from django.apps import apps
from django.utils import timezone

TIME_FORMAT = "%Y-%m-%d %H:%M"
EMPTY = "—"

_registry: dict[str, dict[str, str]] | None = None
_verbs: dict[str, str] | None = None
_lock = Lock()


def _contributions(module_name: str, attribute: str):
    """(app label, the attribute) of every installed app that has `<app>.<module_name>`."""
    for config in apps.get_app_configs():
        name = f"{config.name}.{module_name}"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        value = getattr(module, attribute, None)
        if value:
            yield config.label, value


def registry() -> dict[str, dict[str, str]]:
    """namespace → {code: 中文}, merged over every app (first app to name a code wins)."""
    global _registry
    if _registry is None:
        with _lock:
            merged: dict[str, dict[str, str]] = {}
            for _app, tables in _contributions("labels", "LABELS"):
                for namespace, table in tables.items():
                    target = merged.setdefault(namespace, {})
                    for code, text in table.items():
                        target.setdefault(str(code), text)
            _registry = merged
    return _registry


def label(namespace: str, code) -> str:
    """中文 for `code` in `namespace`; the code itself when unknown; "—" for nothing."""
    if code is None or code == "":
        return EMPTY
    return registry().get(namespace, {}).get(str(code), str(code))


def known(namespace: str, code) -> bool:
    return str(code) in registry().get(namespace, {})


def find(code, namespaces: tuple[str, ...]) -> str:
    """The first label of `code` among `namespaces` (pages listing mixed policy codes)."""
    if code is None or code == "":
        return EMPTY
    table = registry()
    for namespace in namespaces:
        if str(code) in table.get(namespace, {}):
            return table[namespace][str(code)]
    return str(code)


def verbs() -> dict[str, str]:
    """Every event verb an app declares in its verbs.py (VERBS), plus the "verb" label namespace."""
    global _verbs
    if _verbs is None:
        found: dict[str, str] = {}
        for _app, table in _contributions("verbs", "VERBS"):
            for code, text in table.items():
                found.setdefault(code, text)
        for code, text in registry().get("verb", {}).items():
            found.setdefault(code, text)
        _verbs = found
    return _verbs


def verb(code: str) -> str:
    if not code:
        return EMPTY
    try:
        from core import verbs as core_verbs
    except ImportError:
        core_verbs = None
    if core_verbs is not None and hasattr(core_verbs, "label"):
        text = core_verbs.label(code)
        if text and text != code:
            return text
    return verbs().get(code, code)


def person(user) -> str:
    """A person as people know them: display name, never the login name when a name exists."""
    if user is None:
        return EMPTY
    if isinstance(user, str):  # a name already (a contact name, a system actor)
        return user or EMPTY
    name = getattr(user, "display_name", "") or ""
    if name.strip():
        return name.strip()
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full.strip() or unnamed(user)


def unnamed(user) -> str:
    """Someone who gave no name, without their login: their role's 中文 and masked phone
    ("用电客户（1381***5678）"), or the role and account number ("营销主管（编号 12）")."""
    from core.pii import mask

    pk = getattr(user, "pk", None)
    # Roles only when already read (the signed-in user): lists name many people, one query each otherwise.
    roles = getattr(user, "_roles_cache", None) or set()
    ordered = [code for code in registry().get("role", {}) if code in roles]
    who = label("role", ordered[0]) if ordered else "用户"
    phone = (getattr(user, "phone", "") or "").strip()
    if phone:
        return f"{who}（{mask(phone)}）"
    return f"{who}（编号 {pk}）" if pk else who


def local_time(value) -> str:
    """`2026-12-01 22:02` in Asia/Shanghai for an aware datetime; dates as `2026-12-01`."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(TIME_FORMAT)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def reset() -> None:
    """Forget the collected tables (tests that install an app's labels on the fly)."""
    global _registry, _verbs
    _registry = None
    _verbs = None


# Who did it, for actors that are not people (system jobs write events too).
LABELS = {
    "actor": {
        "system": "系统",
        "anonymous": "匿名访问",
        "job:escalations": "系统（时限巡检）",
        "job:complaints": "系统（投诉巡检）",
    },
}
