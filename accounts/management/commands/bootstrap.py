"""Create the operator account that `make run` prints, once, with a password nobody else knows."""
import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import actions
from accounts import queries as account_queries


class Command(BaseCommand):
    help = "Create the local administrator (once, with a generated password printed once) and print where to log in."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GETPOWER_URL", "http://127.0.0.1:8000"))

    def handle(self, *args, **options):
        username = os.environ.get("GETPOWER_ADMIN_USER", "admin")
        chosen = os.environ.get("GETPOWER_ADMIN_PASSWORD", "")
        if chosen in settings.PUBLISHED_ADMIN_PASSWORDS:
            raise CommandError("GETPOWER_ADMIN_PASSWORD: that password is published in the getpower repository; choose another")
        with transaction.atomic():
            if account_queries.any_user(username) is not None:
                password_line = f"  administrator: {username} (already present; password unchanged)"
            else:
                password = chosen or secrets.token_urlsafe(12)
                actions.administrator_create(username=username, password=password, generated=not chosen)
                # Printed this once only: it is stored as a hash and cannot be shown again.
                password_line = (f"  administrator (created): {username} / {password}"
                                 + ("" if chosen else "   <- generated, shown only now; note it"))
        host = options["host"].rstrip("/")
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"getpower is ready at {host}/",
                    f"{password_line}  ->  {host}/admin/",
                    f"  policies and time limits:  {host}/policies/",
                    f"  working-day calendar:      {host}/workdays/",
                    f"  API docs:                  {host}/api/v1/docs",
                    f"  health:                    {host}/healthz",
                    "",
                ]
            )
        )
