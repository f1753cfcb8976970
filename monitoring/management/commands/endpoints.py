"""getpower endpoints register | list | retire — the regulator systems indicator changes are
pushed to (无感监测). Only an admin account may register or retire one (`--by`).

Bad input exits 2 naming the argument.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.commands import named_user, refused
from core.errors import DomainError
from monitoring import push, queries


def _admin(username: str) -> User:
    return named_user(username, argument="--by", active=True)


class Command(BaseCommand):
    help = "Regulator endpoints that receive signed indicator-change webhooks."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{register,list,retire}")
        register = actions.add_parser("register", help="register a receiving system")
        register.add_argument("--name", required=True, help="the receiving system's name")
        register.add_argument("--url", required=True, help="https URL that accepts the signed POST")
        register.add_argument("--region", default="", help="only this region's changes (default: every region)")
        register.add_argument("--by", required=True, help="the admin's username")
        actions.add_parser("list", help="registered endpoints")
        retire = actions.add_parser("retire", help="stop pushing to an endpoint")
        retire.add_argument("--id", type=int, required=True)
        retire.add_argument("--by", required=True, help="the admin's username")

    def handle(self, *args, action: str, **options):
        try:
            if action == "register":
                endpoint = push.endpoint_register(by=_admin(options["by"]), name=options["name"], url=options["url"],
                                                  region=options["region"])
                self.stdout.write(f"registered endpoint {endpoint.pk}: {endpoint.name} {endpoint.url}")
            elif action == "retire":
                endpoint = queries.endpoint(options["id"])
                if endpoint is None:
                    raise CommandError(f"--id: no endpoint {options['id']}", returncode=2)
                push.endpoint_retire(by=_admin(options["by"]), endpoint=endpoint)
                self.stdout.write(f"retired endpoint {endpoint.pk}")
            else:
                for endpoint in queries.endpoints():
                    state = "active" if endpoint.active else "retired"
                    self.stdout.write(f"{endpoint.pk}\t{state}\t{endpoint.region or '*'}\t{endpoint.name}\t{endpoint.url}")
        except DomainError as exc:
            raise refused(exc, unnamed="--request") from None
