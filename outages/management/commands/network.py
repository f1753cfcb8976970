"""getpower network import FILE.csv | getpower network readings import FILE.csv"""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from outages import network, readings


def _bar(out):
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            out.write("\n")
        out.flush()
    return show


class Command(BaseCommand):
    help = "Import the network topology (substations, feeders, transformers, customers) or load/voltage readings."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="topology CSV: " + ",".join(network.NETWORK_COLUMNS))
        imp.add_argument("file", type=Path)
        imp.add_argument("--no-progress", action="store_true")
        rd = sub.add_parser("readings", help="load and voltage readings")
        rd_sub = rd.add_subparsers(dest="readings_action", required=True)
        rd_imp = rd_sub.add_parser("import", help="readings CSV: " + ",".join(readings.COLUMNS))
        rd_imp.add_argument("file", type=Path)

    def handle(self, *args, **options):
        try:
            if options["action"] == "import":
                progress = None if options["no_progress"] else _bar(sys.stderr)
                result = network.network_import(path=options["file"], progress=progress)
                self.stdout.write(f"imported {result.rows} rows: created {result.created}, updated {result.updated}")
            else:
                n = readings.readings_import(path=options["file"])
                self.stdout.write(f"imported {n} readings")
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
