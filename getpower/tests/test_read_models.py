"""Pages, the API and the console read only through an app's queries.py or access.py and
change state only through its actions (STYLE.md, issue 9): a views.py, api.py or management
command that reaches a model's manager itself (`Model.objects...`, `get_object_or_404(Model,
...)`) or writes an event itself (`events.record(...)`) fails here, naming the file and line."""
import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APPS = sorted(p.parent for p in REPO.glob("*/apps.py"))

# Reads that stay inline, each with its reason. Empty today: keep it short.
ALLOWED: dict[tuple[str, int], str] = {}


def inline_reads(source: str) -> list[int]:
    """Lines of `source` that read a manager (`X.objects`) or fetch a model by get_object_or_404."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        manager = isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager")
        shortcut = (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("get_object_or_404", "get_list_or_404"))
        if manager or shortcut:
            lines.append(node.lineno)
    return sorted(lines)


def inline_events(source: str) -> list[int]:
    """Lines of `source` that write an event themselves: a state change that belongs in an action."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "record" and isinstance(node.func.value, ast.Name)
                  and node.func.value.id == "events")


def read_model_files() -> list[Path]:
    return [path for app in APPS for name in ("views.py", "api.py") if (path := app / name).exists()]


def command_files() -> list[Path]:
    return sorted(path for app in APPS for path in (app / "management" / "commands").glob("*.py")
                  if path.name != "__init__.py")


def _name(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_the_files_are_found():
    names = {f"{p.parent.name}/{p.name}" for p in read_model_files()}
    assert {"applications/views.py", "applications/api.py", "customers/views.py", "ledger/views.py"} <= names
    commands = {_name(p) for p in command_files()}
    assert {"accounts/management/commands/token.py", "core/management/commands/notifications.py",
            "monitoring/management/commands/endpoints.py"} <= commands


@pytest.mark.parametrize("path", read_model_files() + command_files(), ids=_name)
def test_views_api_and_commands_read_through_queries(path):
    found = [line for line in inline_reads(path.read_text()) if (_name(path), line) not in ALLOWED]
    assert not found, f"{_name(path)} reads the database itself at lines {found}: " \
                      "move the read into queries.py or access.py"


@pytest.mark.parametrize("path", command_files(), ids=_name)
def test_commands_change_state_through_actions(path):
    found = inline_events(path.read_text())
    assert not found, f"{_name(path)} writes an event itself at lines {found}: move the change into an action"


def test_the_check_sees_both_shapes():
    assert inline_reads("x = Task.objects.filter(pk=1)\ny = get_object_or_404(Report, pk=2)\n") == [1, 2]
    assert inline_reads("rows = queries.tasks([1])\n") == []


def test_the_check_sees_an_inline_event():
    assert inline_events("n = outbox.retry()\nevents.record(actor='cli', verb='outbox.retried')\n") == [2]
    assert inline_events("actions.outbox_retry(by='cli')\n") == []
