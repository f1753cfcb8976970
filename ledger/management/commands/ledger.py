"""getpower ledger load | list — the seeds' task ledgers, for operators.

`list` prints the contract JSON with --json. Bad arguments (unknown region, status or unit)
exit 2 with one line naming the argument.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.commands import directory_argument, refused, to_json
from core.errors import DomainError
from ledger import catalogue, queries
from ledger.actions import ledger_load
from ledger.labels import LABELS
from ledger.units import UNITS


class Command(BaseCommand):
    help = "Task ledgers (任务台账): load the seeds' tables, list tasks with their status."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,list}")
        load = actions.add_parser("load", help="validate ledger/data/*.yaml and store new or corrected rows")
        load.add_argument("--path", help="directory of ledger files (default: the bundled ones)")
        listing = actions.add_parser("list", help="the tasks of a region")
        listing.add_argument("--region", required=True, metavar="R", help="e.g. zaozhuang, zhejiang, shaanxi")
        listing.add_argument("--status", metavar="S", help="|".join(queries.STATUSES))
        listing.add_argument("--unit", metavar="U", help="|".join(UNITS))
        listing.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, action: str, **options):
        if action == "load":
            return self._load(options.get("path"))
        return self._list(options["region"], options.get("status"), options.get("unit"), options["json"])

    def _load(self, path: str | None) -> None:
        directory = directory_argument(path)
        try:
            result = ledger_load(directory=directory)
        except catalogue.LedgerDataError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        for region in sorted(result.created):
            changed = result.changed[region]
            self.stdout.write(
                f"ledger {region}: {result.created[region]} new, {len(changed)} corrected"
                f"{' ' + str(changed) if changed else ''}, {result.unchanged[region]} unchanged"
            )

    def _list(self, region: str, status: str | None, unit: str | None, as_json: bool) -> None:
        regions = queries.regions()
        if region not in regions:
            known = ", ".join(regions) or "none loaded; run `getpower ledger load`"
            raise CommandError(f"--region: unknown region '{region}' (known: {known})", returncode=2)
        try:
            rows = queries.filtered(queries.every_task(), region=region, status_code=status, unit=unit)
        except DomainError as exc:
            raise refused(exc) from exc
        if as_json:
            self.stdout.write(to_json([queries.as_json(r) for r in rows], indent=2))
            return
        for row in rows:
            task = row.task
            when = task.deadline.isoformat() if task.deadline else LABELS["deadline_kind"][task.deadline_kind]
            text = "（空行）" if task.empty else task.text[:40]
            self.stdout.write(f"{task.number:>3}  {LABELS['ledger_status'][row.status]:<4}  {when:<10}  {text}")
