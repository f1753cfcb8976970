from django.core.management.base import BaseCommand, CommandError

from core.commands import date_argument, to_json
from core.errors import DomainError
from workdays import arguments, queries
from workdays.clock import Unit


class Command(BaseCommand):
    help = (
        "When a time limit ends: the start day is not counted; --workdays counts working days "
        "(调休 weekend days count, holidays do not); --days counts calendar days and moves a "
        "last day that is not a working day to the next working day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, type=date_argument, metavar="YYYY-MM-DD")
        limit = parser.add_mutually_exclusive_group(required=True)
        limit.add_argument("--workdays", type=arguments.limit, metavar="N", help="limit in working days (工作日)")
        limit.add_argument("--days", type=arguments.limit, metavar="N", help="limit in calendar days (自然日)")
        parser.add_argument("--json", action="store_true", help="print the explanation as JSON")

    def handle(self, *args, **options):
        if options["workdays"] is not None:
            unit, n = Unit.WORKDAY, options["workdays"]
        else:
            unit, n = Unit.DAY, options["days"]
        try:
            why = queries.deadline(start=options["start"], limit=n, unit=unit)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if options["json"]:
            self.stdout.write(to_json(why.as_json(), indent=2))
        else:
            self.stdout.write(why.due.isoformat())
