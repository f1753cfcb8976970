"""`getpower network readings import`: load (%) and voltage (V) readings for the planners' lists."""
from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core import events
from core.errors import InvalidInput
from outages.files import local_time
from outages.models import Feeder, Reading, Transformer

COLUMNS = ("equipment_type", "equipment_code", "quantity", "at", "value")
MAX_ROWS = 5_000_000


def _fail(line: int, column: str, message: str) -> InvalidInput:
    return InvalidInput(f"line {line}, column {column}: {message}", fields={f"line {line}.{column}": message})


def readings_import(*, path: Path, by=None) -> int:
    """All or nothing; a reading already imported (same equipment, quantity, time) is skipped."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{path}: cannot read a UTF-8 CSV file ({exc})", fields={"file": "unreadable"}) from None
    if not rows:
        raise _fail(1, "-", "empty file")
    header = [h.strip() for h in rows[0]]
    for column in COLUMNS:
        if column not in header:
            raise _fail(1, column, "missing column")
    if len(rows) - 1 > MAX_ROWS:
        raise _fail(MAX_ROWS + 2, "-", f"at most {MAX_ROWS} rows")
    idx = {c: header.index(c) for c in COLUMNS}
    transformers = dict(Transformer.objects.values_list("code", "id"))
    feeders = dict(Feeder.objects.values_list("code", "id"))
    out = []
    for n, row in enumerate(rows[1:], start=2):
        v = {c: (row[i].strip() if i < len(row) else "") for c, i in idx.items()}
        kind = v["equipment_type"]
        if kind not in ("transformer", "feeder"):
            raise _fail(n, "equipment_type", "transformer or feeder")
        ids = transformers if kind == "transformer" else feeders
        if v["equipment_code"] not in ids:
            raise _fail(n, "equipment_code", f"unknown {kind} {v['equipment_code']!r}")
        if v["quantity"] not in Reading.Quantity.values:
            raise _fail(n, "quantity", "load or voltage")
        try:
            moment = timezone.make_aware(local_time(v["at"]))
        except ValueError:
            raise _fail(n, "at", "an ISO 8601 time such as 2024-07-01T14:00:00") from None
        try:
            value = Decimal(v["value"])
        except InvalidOperation:
            raise _fail(n, "value", "a number") from None
        if not value.is_finite() or not Decimal("0") <= value <= Decimal("100000"):
            raise _fail(n, "value", "from 0 to 100000")
        out.append(Reading(quantity=v["quantity"], at=moment, value=value,
                           **{f"{kind}_id": ids[v["equipment_code"]]}))
    with transaction.atomic():
        Reading.objects.bulk_create(out, batch_size=5000, ignore_conflicts=True)
        events.record(actor=by, verb="readings.imported", subject_type="outages.reading", subject_id=path.name[:64],
                      data={"file": path.name, "rows": len(out)})
    return len(out)
