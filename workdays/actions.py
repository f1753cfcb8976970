"""Changing the stored calendar: importing a year's State Council schedule and syncing the
years chinesecalendar bundles. The CLI, the admin form and `calendar sync` all go through
`calendar_import`, so one set of checks guards the table the clock is built from."""
from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from core import events
from core.errors import Conflict, InvalidInput
from workdays.arguments import strict_date
from workdays.hooks import recompute_deadlines
from workdays.models import FIRST_YEAR, LAST_IMPORTABLE_YEAR, CalendarDay, CalendarYear, DayKind, Source
from workdays.official import official_days

log = logging.getLogger(__name__)

PROVISIONAL = "provisional"
_NAME_MAX = CalendarDay._meta.get_field("name").max_length


@dataclass(frozen=True)
class DayRow:
    date: date
    kind: str
    name: str
    line: int | None = None  # the CSV line it came from, so errors can point at it


@dataclass(frozen=True)
class YearRows:
    year: int
    rows: tuple[DayRow, ...]


@dataclass(frozen=True)
class ImportResult:
    year: int
    source: str
    previous_source: str  # official | imported | provisional
    outcome: str  # created | replaced | unchanged | kept_imported
    rows: int
    recomputed: dict[str, int]

    @property
    def changed(self) -> bool:
        return self.outcome in ("created", "replaced")


class _Errors:
    """Collects every problem of a file, each under the line (or date) it is about."""

    def __init__(self):
        self.by_place: dict[str, list[str]] = defaultdict(list)

    def add(self, place: str, message: str) -> None:
        self.by_place[place].append(message)

    def raise_if_any(self, what: str) -> None:
        if not self.by_place:
            return
        fields = {place: "; ".join(messages) for place, messages in self.by_place.items()}
        raise InvalidInput(f"{what}: " + "; ".join(f"{place}: {msg}" for place, msg in fields.items()), fields=fields)


def _place(row: DayRow) -> str:
    return f"line {row.line}" if row.line is not None else str(row.date)


def parse_calendar_csv(text: str) -> YearRows:
    """Read `date,kind,name` lines (an optional header, blank lines ignored) into one year's rows.

    The file's year is the year of its first date; `calendar_import` then checks the rest."""
    errors = _Errors()
    rows: list[DayRow] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))  # Excel writes a BOM
    first_data_line = True
    try:
        for cells in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if first_data_line and [c.lower() for c in cells] == ["date", "kind", "name"]:
                first_data_line = False
                continue
            first_data_line = False
            if len(cells) != 3:
                errors.add(f"line {line}", f"expected 3 columns date,kind,name, got {len(cells)}")
                continue
            raw_date, kind, name = cells
            try:
                day = strict_date(raw_date)
            except ValueError as exc:
                errors.add(f"line {line}", str(exc))
                continue
            rows.append(DayRow(date=day, kind=kind.lower(), name=name, line=line))
    except csv.Error as exc:
        errors.add(f"line {reader.line_num}", f"not readable as CSV ({exc})")
    errors.raise_if_any("calendar file refused")
    if not rows:
        raise InvalidInput("file: no rows; expected lines date,kind,name", fields={"file": "no rows"})
    return YearRows(year=rows[0].date.year, rows=tuple(rows))


def _check(year_rows: YearRows) -> None:
    errors = _Errors()
    year = year_rows.year
    if not FIRST_YEAR <= year <= LAST_IMPORTABLE_YEAR:
        where = _place(year_rows.rows[0]) if year_rows.rows else "year"
        errors.add(where, f"year {year} is outside {FIRST_YEAR}–{LAST_IMPORTABLE_YEAR}, the years the calendar covers")
    first_line: dict[date, DayRow] = {}
    for row in year_rows.rows:
        place = _place(row)
        if row.date.year != year:
            errors.add(place, f"{row.date} is not in {year}, the year of this file")
        if row.kind not in DayKind.values:
            errors.add(place, f"kind '{row.kind}' is not one of {', '.join(DayKind.values)}")
        elif row.kind == DayKind.WORKDAY and row.date.weekday() < 5:
            errors.add(place, f"{row.date} is a weekday; a workday row marks a Saturday or Sunday worked (调休)")
        if not row.name:
            errors.add(place, "name is empty (e.g. 国庆节)")
        elif len(row.name) > _NAME_MAX:
            errors.add(place, f"name is longer than {_NAME_MAX} characters")
        if row.date in first_line:
            errors.add(place, f"duplicate date {row.date} (first on {_place(first_line[row.date])})")
        else:
            first_line[row.date] = row
    if year_rows.rows and not any(row.kind == DayKind.HOLIDAY for row in year_rows.rows):
        errors.add("file", "no holiday rows: a year's schedule lists its holidays")
    if not year_rows.rows:
        errors.add("file", "no rows")
    errors.raise_if_any(f"calendar {year} refused")


def calendar_import(
    *, year_rows: YearRows, source: str, by=None, replace_official: bool = False, note: str = ""
) -> ImportResult:
    """Store one year's schedule in place of what was there, then recompute deadlines.

    Atomic: the rows, the year and every recompute hook succeed together or not at all.
    An official year is only overwritten by an import when `replace_official` says so.
    """
    if source not in Source.values:
        raise InvalidInput(f"source: '{source}' is not one of {', '.join(Source.values)}", fields={"source": "unknown"})
    _check(year_rows)
    year = year_rows.year
    wanted = sorted((row.date, row.kind, row.name) for row in year_rows.rows)
    with transaction.atomic():
        current = CalendarYear.objects.select_for_update().filter(year=year).first()
        previous = current.source if current else PROVISIONAL
        if previous == Source.OFFICIAL and source != Source.OFFICIAL and not replace_official:
            message = f"{year} is an official schedule (chinesecalendar); use --replace-official to overwrite it"
            raise Conflict(f"year: {message}", fields={"year": message})
        if (current is not None and current.source == source
                and sorted(current.days.values_list("date", "kind", "name")) == wanted):
            return ImportResult(year, source, previous, "unchanged", len(wanted), {})
        if current is not None:
            current.days.all().delete()
        stored, _ = CalendarYear.objects.update_or_create(
            year=year,
            defaults={"source": source, "imported_at": timezone.now(), "imported_by": by, "note": note},
        )
        CalendarDay.objects.bulk_create(
            CalendarDay(year=stored, date=day, kind=kind, name=name) for day, kind, name in wanted
        )
        recomputed = recompute_deadlines(year)
        outcome = "created" if current is None else "replaced"
        events.record(
            actor=by, verb="calendar.imported", subject=stored,
            data={"year": year, "source": source, "previous_source": previous, "outcome": outcome,
                  "rows": len(wanted), "note": note, "recomputed": recomputed},
        )
    log.info(
        "calendar %s %s: %s → %s, %d rows, deadlines recomputed %s, by %s",
        year, outcome, previous, source, len(wanted), recomputed, by or "system",
    )
    return ImportResult(year, source, previous, outcome, len(wanted), recomputed)


def calendar_import_csv(*, text: str, by=None, replace_official: bool = False, note: str = "") -> ImportResult:
    """The import of `getpower calendar import FILE` and of the admin form."""
    return calendar_import(
        year_rows=parse_calendar_csv(text), source=Source.IMPORTED, by=by, replace_official=replace_official, note=note
    )


def calendar_sync(*, by=None) -> list[ImportResult]:
    """Store every year chinesecalendar knows as official. Idempotent: unchanged years are
    left alone (no recompute); a year an admin imported is kept, since the import was a
    deliberate decision that a package upgrade should not undo silently."""
    official = official_days()
    by_year: dict[int, list[DayRow]] = defaultdict(list)
    for kind, days in ((DayKind.HOLIDAY, official.holidays), (DayKind.WORKDAY, official.makeup_workdays)):
        for day, name in days.items():
            by_year[day.year].append(DayRow(date=day, kind=kind, name=name))
    imported = set(CalendarYear.objects.filter(source=Source.IMPORTED).values_list("year", flat=True))
    results = []
    with transaction.atomic():
        for year in range(official.first_year, official.last_year + 1):
            if year in imported:
                results.append(ImportResult(year, Source.IMPORTED, Source.IMPORTED, "kept_imported", 0, {}))
                continue
            results.append(
                calendar_import(
                    year_rows=YearRows(year, tuple(by_year[year])),
                    source=Source.OFFICIAL,
                    by=by,
                    note="chinesecalendar",
                )
            )
    return results
