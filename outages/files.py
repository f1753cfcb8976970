"""Read the reliability CSV files (pure, no Django): every error names file, line and column.

customers.csv:     customer_id,transformer_id,feeder_id,county,area
interruptions.csv: event_id,kind,cause,start,end,scope_type,scope_id
Times are ISO 8601 local time (Asia/Shanghai); a time with an offset is converted to it.
"""
from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

from outages.reliability import AREAS, CAUSES, KINDS, SCOPE_TYPES, Customer, Event

CUSTOMER_COLUMNS = ("customer_id", "transformer_id", "feeder_id", "county", "area")
INTERRUPTION_COLUMNS = ("event_id", "kind", "cause", "start", "end", "scope_type", "scope_id")
LOCAL = timezone(timedelta(hours=8))
MAX_FIELD = 64


class FileError(ValueError):
    def __init__(self, path: str, line: int, column: str, message: str):
        super().__init__(f"{path}:{line}: column {column}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


def local_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _rows(path: Path, columns: tuple[str, ...]):
    name = str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise FileError(name, 0, "-", f"cannot open: {exc.strerror}") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise FileError(name, 1, "-", f"empty file; expected header {','.join(columns)}") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileError(name, 1, "-", f"not a UTF-8 CSV file: {exc}") from None
        for column in columns:
            if column not in header:
                raise FileError(name, 1, column, "missing column")
        where = {column: header.index(column) for column in columns}
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                values = {}
                for column, index in where.items():
                    value = row[index].strip() if index < len(row) else ""
                    if not value:
                        raise FileError(name, line, column, "empty")
                    if len(value) > MAX_FIELD or "\x00" in value:
                        raise FileError(name, line, column, f"at most {MAX_FIELD} characters, no NUL")
                    values[column] = value
                yield line, values
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileError(name, reader.line_num, "-", f"not a UTF-8 CSV file: {exc}") from None


def read_customers(path: Path) -> list[Customer]:
    out, seen = [], set()
    for line, v in _rows(path, CUSTOMER_COLUMNS):
        if v["area"] not in AREAS:
            raise FileError(str(path), line, "area", f"one of {', '.join(AREAS)}")
        if v["customer_id"] in seen:
            raise FileError(str(path), line, "customer_id", "appears twice")
        seen.add(v["customer_id"])
        out.append(Customer(**v))
    return out


def read_events(path: Path, customers: list[Customer]) -> list[Event]:
    known = {
        "customer": {c.customer_id for c in customers},
        "transformer": {c.transformer_id for c in customers},
        "feeder": {c.feeder_id for c in customers},
    }
    out = []
    for line, v in _rows(path, INTERRUPTION_COLUMNS):
        if v["kind"] not in KINDS:
            raise FileError(str(path), line, "kind", f"one of {', '.join(KINDS)}")
        if v["cause"] not in CAUSES:
            raise FileError(str(path), line, "cause", f"one of {', '.join(CAUSES)}")
        times = {}
        for column in ("start", "end"):
            try:
                times[column] = local_time(v[column])
            except ValueError:
                raise FileError(str(path), line, column, "not an ISO 8601 time such as 2024-03-05T09:30:00") from None
        if times["end"] < times["start"]:
            raise FileError(str(path), line, "end", "before start")
        if v["scope_type"] not in SCOPE_TYPES:
            raise FileError(str(path), line, "scope_type", f"one of {', '.join(SCOPE_TYPES)}")
        if v["scope_id"] not in known[v["scope_type"]]:
            raise FileError(str(path), line, "scope_id", f"unknown {v['scope_type']} (not in the customers file)")
        out.append(Event(v["event_id"], v["kind"], v["cause"], times["start"], times["end"], v["scope_type"],
                         v["scope_id"]))
    return out
