"""`getpower calendar ...` (the console script maps `calendar` here: a module named
calendar would shadow the standard library)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.commands import to_json
from core.errors import DomainError
from workdays import actions, arguments, queries


class Command(BaseCommand):
    help = "The working-day calendar: sync the official years, show a year, import a State Council schedule."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{sync,show,import}")
        commands.add_parser("sync", help="store the years chinesecalendar knows as official (idempotent)")
        show = commands.add_parser("show", help="holidays and 调休 working days of one year")
        show.add_argument("year", type=arguments.year, metavar="YEAR")
        show.add_argument("--json", action="store_true")
        load = commands.add_parser("import", help="import a year from CSV: date,kind,name (kind = holiday | workday)")
        load.add_argument("file", metavar="FILE")
        load.add_argument(
            "--replace-official", action="store_true", help="allow overwriting a year stored as official"
        )
        load.add_argument("--note", default="", help="where the schedule comes from, e.g. the notice number")

    def handle(self, *args, **options):
        try:
            getattr(self, "_" + options["action"])(options)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _sync(self, options):
        results = actions.calendar_sync()
        for result in results:
            if result.outcome != "unchanged":
                self.stdout.write(f"{result.year}: {_describe(result)}")
        changed = sum(result.changed for result in results)
        kept = sum(result.outcome == "kept_imported" for result in results)
        self.stdout.write(
            f"official years {results[0].year}–{results[-1].year}: {changed} loaded, "
            f"{kept} kept as imported, {len(results) - changed - kept} unchanged"
        )

    def _show(self, options):
        data = queries.calendar_year(options["year"])
        if options["json"]:
            self.stdout.write(to_json(data, indent=2))
            return
        self.stdout.write(f"{data['year']}  source: {data['source']}")
        for label, rows in (("holidays", data["holidays"]), ("workdays (调休上班)", data["workdays"])):
            self.stdout.write(f"{label}:")
            for row in rows:
                self.stdout.write(f"  {row['date']}  {row['name']}")

    def _import(self, options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"FILE: no such file '{path}'", returncode=2) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"FILE: cannot read '{path}' as UTF-8 text ({exc})", returncode=2) from None
        result = actions.calendar_import_csv(
            text=text, replace_official=options["replace_official"], note=options["note"]
        )
        self.stdout.write(f"{result.year}: {_describe(result)}")


def _describe(result: actions.ImportResult) -> str:
    if result.outcome == "kept_imported":
        return "kept as imported (an admin's import is not overwritten by sync)"
    if result.outcome == "unchanged":
        return f"unchanged ({result.rows} days, {result.source})"
    recomputed = ", ".join(f"{name} {n}" for name, n in result.recomputed.items()) or "no recompute hooks"
    return f"{result.previous_source} → {result.source}, {result.rows} days; deadlines recomputed: {recomputed}"
