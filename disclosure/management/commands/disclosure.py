"""getpower disclosure load — publish the bundled documents (the seeds themselves)."""
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from disclosure.actions import documents_load


class Command(BaseCommand):
    help = "Public disclosure: publish the bundled policy documents (idempotent)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load}")
        actions.add_parser("load", help="publish disclosure/data/*.yaml (needs `getpower policy load` first)")

    def handle(self, *args, action: str, **options):
        try:
            created = documents_load()
        except DomainError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        self.stdout.write(f"disclosure: {created} document(s) published")
