"""Pages and the API read only through an app's queries.py or access.py (STYLE.md, issue 9):
a views.py or api.py that reaches a model's manager itself (`Model.objects...`,
`get_object_or_404(Model, ...)`) fails here, naming the file and line."""
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


def read_model_files() -> list[Path]:
    return [path for app in APPS for name in ("views.py", "api.py") if (path := app / name).exists()]


def test_the_files_are_found():
    names = {f"{p.parent.name}/{p.name}" for p in read_model_files()}
    assert {"applications/views.py", "applications/api.py", "customers/views.py", "ledger/views.py"} <= names


@pytest.mark.parametrize("path", read_model_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_views_and_api_read_through_queries(path):
    found = [line for line in inline_reads(path.read_text()) if (f"{path.parent.name}/{path.name}", line) not in ALLOWED]
    assert not found, f"{path.parent.name}/{path.name} reads the database itself at lines {found}: " \
                      "move the read into queries.py or access.py"


def test_the_check_sees_both_shapes():
    assert inline_reads("x = Task.objects.filter(pk=1)\ny = get_object_or_404(Report, pk=2)\n") == [1, 2]
    assert inline_reads("rows = queries.tasks([1])\n") == []
