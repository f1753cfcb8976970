"""getpower policy load | list | show — policies as data, for operators.

Bad input (an unknown region, a malformed date) exits 2 with one line naming the argument;
broken policy files or a refused load exit 1 with every problem listed.
"""
from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core.commands import directory_argument, to_json
from core.dates import strict_date
from core.errors import DomainError, NotFound
from policies import queries
from policies.actions import policy_load
from policies.labels import FLAT as LABELS


def _on(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return strict_date(value)
    except ValueError:
        raise CommandError(f"--on: expected a date YYYY-MM-DD, got '{value}'", returncode=2) from None


def _shown(quantity: dict | None) -> str:
    return f"{quantity['value']} {quantity['unit']}" if quantity else "—"


class Command(BaseCommand):
    help = "Policies as data: load the policy files, list regions and versions, show the version in force."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,list,show}")
        load = actions.add_parser("load", help="validate policies/data/*.yaml and store new versions")
        load.add_argument("--path", help="directory of policy files (default: settings.POLICY_DIR)")
        listing = actions.add_parser("list", help="regions, their versions and the one in force today")
        listing.add_argument("--json", action="store_true", help="machine-readable output")
        show = actions.add_parser("show", help="the version of REGION in force on a date")
        show.add_argument("region", metavar="REGION", help="e.g. zaozhuang, zhejiang, shaanxi, national")
        show.add_argument("--on", metavar="YYYY-MM-DD", help="the date (default: today, Asia/Shanghai)")
        show.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, action: str, **options):
        if action == "load":
            return self._load(options.get("path"))
        if action == "list":
            return self._list(as_json=options["json"])
        return self._show(options["region"], on=_on(options.get("on")), as_json=options["json"])

    def _load(self, path: str | None) -> None:
        try:
            result = policy_load(path=directory_argument(path))
        except DomainError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        self.stdout.write(
            f"policies: {len(result.inserted)} new version(s) stored, {len(result.unchanged)} unchanged"
        )
        for region, version in result.inserted:
            self.stdout.write(f"  + {region} {version}")
        for region, version in result.not_in_files:
            self.stdout.write(f"  ! {region} {version} is stored but no longer in the files (kept)")

    def _list(self, *, as_json: bool) -> None:
        rows = queries.policy_list()
        if as_json:
            self.stdout.write(to_json(rows, indent=2))
            return
        if not rows:
            self.stdout.write("no policies loaded; run `getpower policy load`")
        for row in rows:
            versions = ", ".join(f"{v['version']} ({v['effective_from']})" for v in row["versions"])
            parent = f" ← {row['parent']}" if row["parent"] else ""
            self.stdout.write(f"{row['region']:<10} {row['name']}{parent}  in force: {row['in_force'] or '—'}  versions: {versions}")

    def _show(self, region: str, *, on: date | None, as_json: bool) -> None:
        try:
            data = queries.policy_show(region=region, on=on)
        except NotFound as exc:
            argument = "--on" if "on" in exc.fields else "REGION"
            raise CommandError(f"{argument}: {exc.message}", returncode=2) from exc
        if as_json:
            self.stdout.write(to_json(data, indent=2))
            return
        self.stdout.write(f"{data['name']} ({data['region']}) version {data['version']}, in force from {data['effective_from']}")
        for code, category in data["categories"].items():
            stages = ", ".join(
                f"{LABELS[s['code']]} {s['limit'] if s['limit'] is not None else '—'}" + ("*" if s["when"] else "")
                for s in category["stages"]
            )
            self.stdout.write(
                f"  {code:<18} {category['name']} [{category['unit']}]: {stages or 'no stages'} | "
                f"grid-side {_shown(category['grid_side_limit'])} | full-process {_shown(category['full_process_limit'])}"
            )
        notes = [n for n in data["notes"] if n["kind"] == "contradiction"]
        if notes:
            self.stdout.write(f"  {len(notes)} contradiction note(s); see --json or /policies/{data['region']}/")
