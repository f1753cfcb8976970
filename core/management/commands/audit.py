"""`getpower audit verify [--json]`: check the event log's hash chain.

Exit 0 when intact, 1 naming the first broken event, like `diff` and `cmp` do, so a cron
job or monitor can alarm on the status alone.
"""
import json

from django.core.management.base import BaseCommand

from core import events

HEAD_PREFIX = 16


class Command(BaseCommand):
    help = "Event log tools. `verify`: walk the hash chain; exit 1 naming the first broken event."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        verify = actions.add_parser(
            "verify",
            help="walk the chain in seq order; exit 0 when intact, "
            "1 at the first edited, deleted or out-of-order event",
        )
        verify.add_argument(
            "--json", action="store_true",
            help='print {"ok", "events", "head", "first_broken": null | {"seq", "id", "verb", "problem"}}; '
            '"events" counts the intact events before the first broken one',
        )

    def handle(self, *args, action, **options):
        if action == "verify":
            self.verify(as_json=options["json"])

    def verify(self, *, as_json: bool) -> None:
        result = events.verify()
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        elif result.ok:
            self.stdout.write(f"chain intact: {result.events} events, head {result.head[:HEAD_PREFIX]}")
        else:
            broken = result.first_broken
            which = f"id {broken.id}, {broken.verb}" if broken.id is not None else "no such row"
            self.stderr.write(
                f"chain broken at #{broken.seq} ({which}): {broken.problem}; events intact before it: {result.events}"
            )
        if not result.ok:
            raise SystemExit(1)
