"""getpower report monthly | quarterly | annual — 月统计 (Excel), 季分析 and 年度总结 (PDF or Word).

    getpower report monthly --month 2026-10 --out FILE.xlsx [--region R]
    getpower report quarterly --quarter 2026Q3 --format pdf|docx --out FILE [--region R]
    getpower report annual --year 2026 --format pdf|docx --out FILE [--region R]

Bad input exits 2 naming the argument; the file is written only when the report is complete.
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.commands import refused
from core.errors import DomainError
from monitoring.actions import report_generate


class Command(BaseCommand):
    help = "Reports: the monthly statistics workbook, the quarterly analysis and the annual summary (月统计、季分析、年度总结)."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{monthly,quarterly,annual}")
        monthly = kinds.add_parser("monthly", help="one sheet per indicator group plus the application ledger")
        monthly.add_argument("--month", required=True, help="e.g. 2026-10")
        monthly.add_argument("--out", required=True, help="the .xlsx file to write")
        monthly.add_argument("--region", help="one region (default: every region)")
        quarterly = kinds.add_parser("quarterly", help="tables, charts and a narrative against last quarter")
        quarterly.add_argument("--quarter", required=True, help="e.g. 2026Q3")
        quarterly.add_argument("--format", required=True, choices=["pdf", "docx"])
        quarterly.add_argument("--out", required=True, help="the file to write")
        quarterly.add_argument("--region", help="one region (default: every region)")
        annual = kinds.add_parser("annual", help="the year's summary for the energy bureau, with the appraisal")
        annual.add_argument("--year", required=True, help="e.g. 2026")
        annual.add_argument("--format", required=True, choices=["pdf", "docx"])
        annual.add_argument("--out", required=True, help="the file to write")
        annual.add_argument("--region", help="one region (default: every region)")

    def handle(self, *args, kind: str, **options):
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"--out: folder {out.parent} does not exist", returncode=2)
        period_option = {"monthly": "month", "quarterly": "quarter", "annual": "year"}[kind]
        period = options[period_option]
        fmt = "xlsx" if kind == "monthly" else options["format"]
        try:
            report = report_generate(kind=kind, period=period, fmt=fmt, region=options.get("region"), by="cli:report")
        except DomainError as exc:
            raise refused(exc, arguments={"period": f"--{period_option}"}, unnamed="--request") from None
        with report.file.open("rb") as stored:
            out.write_bytes(stored.read())
        self.stdout.write(f"{out} ({report.get_kind_display()}, sha256 {report.sha256[:12]}…)")
