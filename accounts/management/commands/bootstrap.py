"""Create the operator account that `make run` prints, once."""
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local administrator (once) and print where to log in."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GETPOWER_URL", "http://127.0.0.1:8000"))

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("GETPOWER_ADMIN_USER", "admin")
        password = os.environ.get("GETPOWER_ADMIN_PASSWORD", "getpower-admin")
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username=username, email="", password=password)
            created = "created"
        else:
            created = "already present"
        host = options["host"].rstrip("/")
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"getpower is ready at {host}/",
                    f"  administrator ({created}): {username} / {password}  ->  {host}/admin/",
                    f"  policies and time limits:  {host}/policies/",
                    f"  working-day calendar:      {host}/workdays/",
                    f"  API docs:                  {host}/api/v1/docs",
                    f"  health:                    {host}/healthz",
                    "",
                ]
            )
        )
