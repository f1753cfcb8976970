"""The task tables of the seeds as checked data (ledger/data/<region>.yaml). Pure: no Django.

Each file is the seed's table row by row; `read_ledger` validates it and reads every
deadline, so a typo in a file is an error naming the row, never a silently wrong date.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ledger import deadlines
from ledger.units import UNITS

DATA_DIR = Path(__file__).resolve().parent / "data"
INDICATOR_UNITS = ("workday", "day", "hour", "percent")
TaskKindCode = Literal["task", "rules_cleanup", "problem"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IndicatorTarget(_Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    label: str = Field(min_length=1, max_length=200)
    value: float | int
    value_max: float | int | None = None
    unit: Literal[INDICATOR_UNITS]
    kind: Literal["limit", "average", "share", "relative"]
    params: dict[str, str | int] = {}


class Row(_Model):
    number: int = Field(ge=1)
    area: str = Field(min_length=1, max_length=64)
    task: str = Field(max_length=2000)
    responsible: str = Field(max_length=255)
    deadline: str = Field(max_length=64)
    units: list[str] = []
    lead: list[str] = []
    empty: bool = False
    kind: TaskKindCode = "task"
    indicator: list[IndicatorTarget] | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Row:
        if self.empty:
            if self.task or self.responsible or self.deadline or self.units:
                raise ValueError("an empty row has no task, responsible, deadline or units")
            return self
        if not (self.task and self.responsible and self.deadline and self.units):
            raise ValueError("task, responsible, deadline and units are required (or mark the row empty)")
        unknown = [u for u in [*self.units, *self.lead] if u not in UNITS]
        if unknown:
            raise ValueError(f"unknown units {unknown} (known: {sorted(UNITS)})")
        if not set(self.lead) <= set(self.units):
            raise ValueError("lead units must also be among units")
        deadlines.parse_deadline(self.deadline)  # raises with the text quoted
        return self


class LedgerFile(_Model):
    region: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    seed: str
    table: str
    columns: list[str]
    tasks: list[Row]

    @model_validator(mode="after")
    def _numbered(self) -> LedgerFile:
        numbers = [row.number for row in self.tasks]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("tasks must be numbered 1, 2, 3 … in order, each once, as in the seed")
        return self


class LedgerDataError(ValueError):
    pass


def read_ledger(path: Path) -> LedgerFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return LedgerFile.model_validate(raw)
    except (yaml.YAMLError, ValidationError, deadlines.DeadlineError) as exc:
        raise LedgerDataError(f"{path.name}: {exc}") from exc


def read_all(directory: Path = DATA_DIR) -> dict[str, LedgerFile]:
    files = {}
    for path in sorted(directory.glob("*.yaml")):
        ledger = read_ledger(path)
        if ledger.region in files:
            raise LedgerDataError(f"{path.name}: region {ledger.region} appears in two files")
        files[ledger.region] = ledger
    return files
