from django.core.management.base import BaseCommand, CommandError

from core.commands import date_argument, to_json
from core.errors import DomainError
from workdays import queries


class Command(BaseCommand):
    help = "Working-day arithmetic on the official calendar."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{count}")
        count = actions.add_parser("count", help="working days in (from, to]: from is not counted, to is")
        count.add_argument("--from", dest="date_from", required=True, type=date_argument, metavar="YYYY-MM-DD")
        count.add_argument("--to", dest="date_to", required=True, type=date_argument, metavar="YYYY-MM-DD")
        count.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            n = queries.working_day_count(date_from=options["date_from"], date_to=options["date_to"])
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if options["json"]:
            payload = {"from": options["date_from"].isoformat(), "to": options["date_to"].isoformat(), "workdays": n}
            self.stdout.write(to_json(payload))
        else:
            self.stdout.write(str(n))
