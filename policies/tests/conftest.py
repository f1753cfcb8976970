"""Shared fixtures: the real policy files, editable copies of them, and a loaded database."""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from policies.loader import PolicySet, load_dir

DATA_DIR = Path(settings.POLICY_DIR)

def _seeds_dir() -> Path:
    """../shared/seeds next to the checkout, or next to any folder above it (a git worktree
    lives one level deeper than the main checkout)."""
    base = Path(settings.BASE_DIR).resolve()
    for folder in base.parents:
        if (folder / "shared" / "seeds").is_dir():
            return folder / "shared" / "seeds"
    return base.parent / "shared" / "seeds"


SEEDS_DIR = _seeds_dir()


def read_raw(region: str, directory: Path = DATA_DIR) -> dict[str, Any]:
    return yaml.safe_load((directory / f"{region}.yaml").read_text(encoding="utf-8"))


def write_raw(directory: Path, region: str, raw: dict[str, Any]) -> None:
    (directory / f"{region}.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def version_of(raw: dict[str, Any], version: str) -> dict[str, Any]:
    return next(v for v in raw["versions"] if v["version"] == version)


@pytest.fixture(scope="session")
def policies() -> PolicySet:
    return load_dir(DATA_DIR)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of policies/data."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def edit(data_copy) -> Callable[[str, Callable[[dict[str, Any]], None]], Path]:
    """edit("zhejiang", change) applies `change` to the parsed file and writes it back."""

    def apply(region: str, change: Callable[[dict[str, Any]], None]) -> Path:
        raw = read_raw(region, data_copy)
        change(raw)
        write_raw(data_copy, region, raw)
        return data_copy

    return apply


@pytest.fixture
def loaded(db):
    from policies.actions import policy_load

    return policy_load()
