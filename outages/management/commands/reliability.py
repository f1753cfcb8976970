"""getpower reliability compute|report: DL/T 836 indices from CSV files or from the database."""
from datetime import datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.commands import date_argument, to_json
from core.errors import DomainError
from outages import files, reliability


def _year(text: str) -> int:
    from argparse import ArgumentTypeError

    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ArgumentTypeError(f"{text!r} is not a year between 2000 and 2100")
    return int(text)


class Command(BaseCommand):
    help = ("Reliability indices (AIHC-1/SAIDI, AIHC-2, AIHC-3, AITC-1/SAIFI, CAIDI, RS-1): "
            "`compute` from CSV files, `report` from the database.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        compute = sub.add_parser("compute", help="indices from customers.csv and interruptions.csv")
        compute.add_argument("--customers", required=True, type=Path, metavar="customers.csv")
        compute.add_argument("--interruptions", required=True, type=Path, metavar="interruptions.csv")
        compute.add_argument("--from", dest="start", required=True, type=date_argument, metavar="YYYY-MM-DD")
        compute.add_argument("--to", dest="end", required=True, type=date_argument, metavar="YYYY-MM-DD",
                             help="last day of the period (inclusive)")
        compute.add_argument("--region", help="policy region: adds the targets for each county and area")
        compute.add_argument("--json", action="store_true")
        report = sub.add_parser("report", help="indices of a year from the database, against the targets")
        report.add_argument("--year", required=True, type=_year)
        report.add_argument("--region", help="policy region (default: every region)")
        report.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            if options["action"] == "compute":
                doc = self._compute(options)
            else:
                from outages import queries

                doc = queries.reliability_report(year=options["year"], region=options["region"])
        except files.FileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if options["json"]:
            self.stdout.write(to_json(doc, indent=2))
        else:
            self._table(doc)

    def _compute(self, options) -> dict:
        if options["end"] < options["start"]:
            raise CommandError("--to: before --from", returncode=2)
        customers = files.read_customers(options["customers"])
        events = files.read_events(options["interruptions"], customers)
        period_start = reliability.seconds(datetime.combine(options["start"], time()))
        period_end = reliability.seconds(datetime.combine(options["end"] + timedelta(days=1), time()))
        doc = reliability.report(customers, reliability.expand(customers, events), period_start=period_start,
                                 period_end=period_end)
        if options["region"]:
            from outages import queries

            doc["targets"] = queries.targets_for_counties(
                region=options["region"], year=options["start"].year, customers=customers, doc=doc)
        return doc

    def _table(self, doc: dict) -> None:
        rows = [("全部", doc)] if "saidi_hours" in doc else []
        rows += [(f"area {k}", v) for k, v in doc.get("by_area", {}).items()]
        rows += [(f"county {k}", v) for k, v in doc.get("by_county", {}).items()]
        rows += [(k, doc[k]) for k in ("planned", "fault") if k in doc]
        self.stdout.write(f"{'':<24}{'customers':>10}{'SAIDI h':>12}{'SAIFI':>10}{'CAIDI h':>10}{'RS-1 %':>12}")
        for name, v in rows:
            caidi = "-" if v["caidi_hours"] is None else f"{v['caidi_hours']:.3f}"
            self.stdout.write(f"{name:<24}{v['customers']:>10}{v['saidi_hours']:>12.4f}{v['saifi']:>10.4f}"
                              f"{caidi:>10}{v['rs1_percent']:>12.4f}")
