"""getpower demo load: demo world + 18 months of applications through the real actions."""
from django.core.management.base import BaseCommand

from applications import demo


class Command(BaseCommand):
    help = "Load the demo organisations, users and application history (deterministic, safe to run twice)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load the demo once")
        load.add_argument("--applications", type=int, default=300)
        sub.add_parser("logins", help="print the demo logins")

    def handle(self, *args, **options):
        if options["action"] == "logins":
            self._logins()
            return
        if options["applications"] < 0:
            from django.core.management.base import CommandError

            raise CommandError("--applications: must be zero or more", returncode=2)
        world = demo.load(applications=options["applications"])
        if world is None:
            self.stdout.write("demo already loaded; nothing changed")
        else:
            from applications.models import Application

            self.stdout.write(f"demo loaded: {Application.objects.count()} applications")
        self._logins()

    def _logins(self):
        if not demo.is_loaded():
            self.stdout.write("demo not loaded (run: getpower demo load)")
            return
        self.stdout.write(f"demo logins (password for all: {demo.PASSWORD}):")
        for username, role, where in demo.demo_logins():
            self.stdout.write(f"  {username:<24} {role:<16} {where}")
