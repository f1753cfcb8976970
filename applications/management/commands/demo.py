"""getpower demo load: demo world + 18 months of applications through the real actions."""
from django.core.management.base import BaseCommand, CommandError

from applications import demo, queries
from core.commands import refused
from core.errors import DomainError


class Command(BaseCommand):
    help = "Load the demo organisations, users and application history (deterministic, safe to run twice)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load the demo once")
        load.add_argument("--applications", type=int, default=300)
        sub.add_parser("logins", help="print the demo logins")
        generate = sub.add_parser("generate", help="a synthetic province at scale, written in bulk (monitoring.synthetic)")
        generate.add_argument("--applications", type=int, required=True)
        generate.add_argument("--region", default="zhejiang", help="the policy region the province follows")
        generate.add_argument("--year", type=int, help="the year submissions fall in (default: last year)")
        generate.add_argument("--seed", type=int, default=20261201)

    def handle(self, *args, **options):
        if options["action"] == "generate":
            self._generate(options)
            return
        if options["action"] == "logins":
            self._logins()
            return
        if options["applications"] < 0:
            raise CommandError("--applications: must be zero or more", returncode=2)
        world = demo.load(applications=options["applications"])
        if world is None:
            self.stdout.write("demo already loaded; nothing changed")
        else:
            self.stdout.write(f"demo loaded: {queries.application_count()} applications")
        self._logins()

    def _generate(self, options):
        from monitoring import synthetic

        try:
            done = synthetic.generate(applications=options["applications"], region=options["region"],
                                      year=options["year"], seed=options["seed"], stdout=self.stdout)
        except DomainError as exc:
            raise refused(exc, unnamed="--applications") from None
        self.stdout.write(f"generated {done.applications} applications, {done.stages} stages in {done.counties} "
                          f"counties, submitted {done.first_day} .. {done.last_day}")

    def _logins(self):
        if not demo.is_loaded():
            self.stdout.write("demo not loaded (run: getpower demo load)")
            return
        self.stdout.write(f"demo logins (password for all: {demo.PASSWORD}):")
        for username, role, where in demo.demo_logins():
            self.stdout.write(f"  {username:<24} {role:<16} {where}")
