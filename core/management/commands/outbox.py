"""`getpower outbox stats|retry|deliver`: the operator's view of message delivery.

stats --json   {"pending", "sent", "failed", "dead"}: counts of messages by status
retry          make failed messages due now and give dead ones a fresh set of attempts, then deliver
deliver        send what is due now (what the worker does); --loop keeps doing it
"""
import time

from django.core.management.base import BaseCommand

from core import outbox
from core.commands import to_json


class Command(BaseCommand):
    help = "Message outbox: stats, retry failed/dead messages, deliver due messages."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{stats,retry,deliver}")
        stats = sub.add_parser("stats", help="messages by status: pending, sent, failed, dead")
        stats.add_argument("--json", action="store_true", help='print {"pending", "sent", "failed", "dead"}')
        retry = sub.add_parser("retry", help="retry failed and dead messages now")
        retry.add_argument("--json", action="store_true")
        deliver = sub.add_parser("deliver", help="send every message that is due")
        deliver.add_argument("--loop", action="store_true", help="keep delivering (a worker of its own)")
        deliver.add_argument("--interval", type=float, default=1.0, help="seconds between rounds with --loop")
        deliver.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def stats(self, *, json: bool = False, **_):
        counts = outbox.stats()
        if json:
            self.stdout.write(to_json(counts))
        else:
            self.stdout.write("  ".join(f"{k} {v}" for k, v in counts.items()))

    def retry(self, *, json: bool = False, **_):
        n = outbox.retry(by="cli:outbox")
        run = outbox.deliver_due()
        result = {"retried": n, **run.as_dict()}
        self.stdout.write(to_json(result) if json else
                          f"retried {n}: sent {run.sent}, failed again {run.failed}, dead {run.dead}")

    def deliver(self, *, loop: bool = False, interval: float = 1.0, json: bool = False, **_):
        while True:
            run = outbox.deliver_due()
            if not loop:
                self.stdout.write(to_json(run.as_dict()) if json else
                                  f"sent {run.sent}, failed {run.failed}, dead {run.dead}")
                return
            time.sleep(max(interval, 0.05))
