"""`getpower audit verify | anchor | witness`: check the event log and anchor it outside the database.

verify  exit 0 when the chain is intact, the anchors agree and every application, fee and
        payment row is explained by its event; 1 naming each problem (like `diff` and `cmp`
        do), so a cron job or monitor can alarm on the status alone.
anchor  write the chain head (seq, hash, time, signed) to the anchor store; a periodic job
        does it every few minutes.
witness run a small HTTP witness that keeps anchors for another host (append-only file).
"""
from django.core.management.base import BaseCommand, CommandError

from core import anchors, audit
from core.commands import serve_until_interrupted, to_json

HEAD_PREFIX = 16


class Command(BaseCommand):
    help = "Event log tools: `verify` the chain and its anchors, `anchor` the head outside the database, run a `witness`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,anchor,witness}")
        verify = actions.add_parser(
            "verify",
            help="walk the chain in seq order, compare it with the anchors and the state tables; exit 0 when sound, "
            "1 naming the first broken event and every anchor or state problem",
        )
        verify.add_argument(
            "--json", action="store_true",
            help='print {"ok", "events", "head", "first_broken": null | {"seq", "id", "verb", "problem"}, '
            '"anchors": [problem, ...], "unexplained": [problem, ...]}; "events" counts the intact events '
            "before the first broken one",
        )
        verify.add_argument("--store", help="anchor store to compare with (default: GETPOWER_ANCHOR_STORE)")
        anchor = actions.add_parser("anchor", help="write the chain head to the anchor store")
        anchor.add_argument("--store", help="file:/path or http(s)://witness (default: GETPOWER_ANCHOR_STORE)")
        anchor.add_argument("--json", action="store_true")
        witness = actions.add_parser("witness", help="serve an HTTP witness keeping anchors in an append-only file")
        witness.add_argument("--host", default="127.0.0.1")
        witness.add_argument("--port", type=int, default=8140)
        witness.add_argument("--file", required=True, help="where the witness keeps the anchors (JSON lines)")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def verify(self, *, json: bool, store, **_) -> None:
        try:
            report = audit.verify(anchor_store=anchors.store(store) if store else None)
        except anchors.AnchorError as exc:
            raise CommandError(f"--store: {exc}") from None
        if json:
            self.stdout.write(to_json(report.as_dict()))
        else:
            result = report.chain
            if result.ok:
                line = f"chain intact: {result.events} events, head {result.head[:HEAD_PREFIX]}"
                (self.stdout if report.ok else self.stderr).write(line)
            else:
                broken = result.first_broken
                which = f"id {broken.id}, {broken.verb}" if broken.id is not None else "no such row"
                self.stderr.write(
                    f"chain broken at #{broken.seq} ({which}): {broken.problem}; events intact before it: {result.events}"
                )
            for problem in report.anchor_problems + report.unexplained:
                self.stderr.write(problem)
        if not report.ok:
            raise SystemExit(1)

    def anchor(self, *, store, json: bool, **_) -> None:
        target = anchors.store(store) if store else anchors.store()
        try:
            made = anchors.anchor(into=target)
        except anchors.AnchorError as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(to_json({"anchored": made is not None, "store": str(target),
                                      "anchor": made.as_dict() if made else None}))
        elif made is None:
            self.stdout.write(f"nothing new to anchor in {target}")
        else:
            self.stdout.write(f"anchored #{made.seq} {made.hash[:HEAD_PREFIX]} at {made.anchored_at} in {target}")

    def witness(self, *, host, port, file, **_) -> None:
        from core import witness

        server = witness.make_server(host=host, port=port, path=file)
        self.stdout.write(f"witness on http://{host}:{server.server_port}/anchors keeping {file}; Ctrl-C stops")
        self.stdout.flush()
        serve_until_interrupted(server)
