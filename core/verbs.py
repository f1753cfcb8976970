"""The one registry of event verbs: every verb `core.events.record` accepts, with its 中文.

Each installed app declares its verbs once in `<app>/verbs.py` as
    VERBS = {"stage.paused": "暂停计时", ...}
and `CoreConfig.ready` gathers them here, so a typo in a verb fails at the first record()
instead of leaving an event nobody can find or label.
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

VERBS: dict[str, str] = {}
# Message kinds for the outbox live beside the verbs (CONTRACTS.md §3).
MESSAGE_KINDS: dict[str, str] = {}


@dataclass(frozen=True)
class Origin:
    """Which event explains a row: every row of `model` was written together with an event
    `verb` whose subject is the row itself (`subject="pk"`) or the object its foreign key
    `subject` points at. `audit verify` reports rows no such event accounts for (written
    around the actions, e.g. by SQL)."""

    model: str  # "app_label.ModelName"
    verb: str
    subject: str = "pk"


# Declared in `<app>/verbs.py` as ORIGINS = [Origin(...), ...].
ORIGINS: list[Origin] = []

# core's own verbs (this module is the registry, so they are declared apart from VERBS).
CORE_VERBS = {
    "outbox.retried": "重发消息",
}


def _merge(into: dict[str, str], declared: dict[str, str], *, module: str, what: str) -> None:
    for code, text in declared.items():
        if not isinstance(text, str) or not text.strip():
            raise ImproperlyConfigured(f"{module}: {what} {code!r} needs a 中文 label")
        if code in into and into[code] != text:
            raise ImproperlyConfigured(f"{module}: {what} {code!r} is already declared as {into[code]!r}")
        into[code] = text


def autodiscover(app_configs) -> None:
    """Import `<app>.verbs` of every installed app that has one and merge its declarations."""
    VERBS.clear()
    MESSAGE_KINDS.clear()
    ORIGINS.clear()
    _merge(VERBS, CORE_VERBS, module=__name__, what="verb")
    for config in app_configs:
        module_name = f"{config.name}.verbs"
        if module_name == __name__:
            continue
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        _merge(VERBS, getattr(module, "VERBS", {}), module=module_name, what="verb")
        _merge(MESSAGE_KINDS, getattr(module, "MESSAGE_KINDS", {}), module=module_name, what="message kind")
        ORIGINS.extend(getattr(module, "ORIGINS", ()))
    for origin in ORIGINS:
        if origin.verb not in VERBS:
            raise ImproperlyConfigured(f"origin of {origin.model}: verb {origin.verb!r} is not declared")


def is_declared(verb: str) -> bool:
    return verb in VERBS


def label(verb: str) -> str:
    """The 中文 of a verb; an undeclared one (only from an old log) shows as itself."""
    return VERBS.get(verb, verb)
