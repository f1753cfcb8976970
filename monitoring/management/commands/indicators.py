"""getpower indicators show | snapshot — every policy target measured from live data.

Bad input (unknown region, county or a malformed period) exits 2 naming the argument.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand

from core.commands import refused, to_json
from core.errors import DomainError
from monitoring import queries
from monitoring.actions import snapshots_take
from monitoring.indicators import UNIT_NAMES

STATUS_NAMES = {"met": "达标", "at_risk": "临界", "missed": "未达标", "n/a": "无目标/无数据"}


class Command(BaseCommand):
    help = "Indicators: every quantified target of the policy in force, measured live, with its status."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{show,snapshot}")
        show = actions.add_parser("show", help="indicators of a region (or county) for a month, quarter or year")
        show.add_argument("--region", required=True, help="zaozhuang, zhejiang or shaanxi")
        show.add_argument("--period", required=True, help="2026-10 (month), 2026Q3 (quarter) or 2026 (year)")
        show.add_argument("--county", help="a county's division code")
        show.add_argument("--json", action="store_true", help="machine-readable output")
        snap = actions.add_parser("snapshot", help="store the indicators of a period (history kept; changes logged)")
        snap.add_argument("--region", required=True)
        snap.add_argument("--period", required=True)
        snap.add_argument("--county")

    def handle(self, *args, action: str, **options):
        try:
            if action == "snapshot":
                result = snapshots_take(region=options["region"], period=options["period"], county=options.get("county"))
                self.stdout.write(f"stored {result.stored}, corrected {result.corrected}, unchanged {result.unchanged}")
                return
            rows = queries.indicators_show(region=options["region"], period=options["period"],
                                           county=options.get("county"))
        except DomainError as exc:
            raise refused(exc, unnamed="request") from None
        if options["json"]:
            self.stdout.write(to_json(rows, indent=2))
            return
        for row in rows:
            value = "—" if row["value"] is None else row["value"]
            target = "—" if row["target"] is None else f"{row['direction']} {row['target']}"
            self.stdout.write(f"[{STATUS_NAMES[row['status']]}] {row['name']}: {value} "
                              f"{UNIT_NAMES.get(row['unit'], row['unit'])} (目标 {target})")
