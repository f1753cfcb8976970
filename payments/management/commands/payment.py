"""getpower payment reconcile [--older-than-minutes N] [--json]: settle payments a crash left
pending by asking the provider (the periodic job does the same every five minutes)."""
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.commands import to_json
from payments import actions


class Command(BaseCommand):
    help = "Payments: `reconcile` completes or releases payments left pending, as the provider says."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reconcile = sub.add_parser("reconcile", help="settle pending payments older than the timeout")
        reconcile.add_argument("--older-than-minutes", type=int, default=settings.PAYMENT_PENDING_TIMEOUT_MINUTES)
        reconcile.add_argument("--json", action="store_true")

    def handle(self, *args, action, older_than_minutes, json: bool, **options):
        if not 0 <= older_than_minutes <= 7 * 24 * 60:
            raise CommandError("--older-than-minutes: 0 to 10080", returncode=2)
        counts = actions.payments_reconcile(older_than=timedelta(minutes=older_than_minutes))
        if json:
            self.stdout.write(to_json(counts))
        else:
            self.stdout.write(", ".join(f"{name} {n}" for name, n in counts.items()))
