"""`getpower notifications list [--user U] [--application NUMBER] [--kind K] [--json]`.

Each item: recipient (username, or the contact's name), kind, channel, status, read,
created_at (ISO 8601, Asia/Shanghai), text, plus link and subject.
"""
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from applications import queries as application_queries
from core import outbox, queries
from core.commands import named_user, to_json
from core.models import OutboxMessage


class Command(BaseCommand):
    help = "Messages sent to people (in-app, SMS, e-mail …)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list}")
        ls = sub.add_parser("list", help="list messages, newest first")
        ls.add_argument("--user", help="recipient username")
        ls.add_argument("--application", help="application number (messages about it)")
        ls.add_argument("--kind", help="message kind, e.g. accepted, paused, fee_due")
        ls.add_argument("--channel", help="inapp, sms, email, console, webhook")
        ls.add_argument("--limit", type=int, default=200)
        ls.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        # Exit 1 on a bad filter, as this command always has (the others exit 2).
        user = named_user(options["user"], argument="--user", returncode=1) if options["user"] else None
        application = None
        if options["application"]:
            application = application_queries.application_numbered(options["application"])
            if application is None:
                raise CommandError(f"--application: no application {options['application']!r}")
        if options["kind"] and options["kind"] not in outbox.message_kinds():
            raise CommandError(f"--kind: one of {', '.join(sorted(outbox.message_kinds()))}")
        if not 1 <= options["limit"] <= 10000:
            raise CommandError("--limit: 1 to 10000")
        rows = queries.messages(user=user, subject=application, kind=options["kind"] or "",
                                channel=options["channel"] or "")
        items = [_item(m) for m in rows[: options["limit"]]]
        if options["json"]:
            self.stdout.write(to_json({"items": items, "count": len(items)}))
            return
        for item in items:
            read = "已读" if item["read"] else "未读"
            self.stdout.write(f"{item['created_at'][:16]}  {item['recipient']}  {item['kind_label']}  "
                              f"{item['channel']}/{item['status']}  {read}  {item['text']}")


def _item(message: OutboxMessage) -> dict:
    return {
        "id": message.pk,
        "recipient": message.user.username if message.user_id else message.contact_name,
        "kind": message.kind,
        "kind_label": outbox.kind_label(message.kind),
        "channel": message.channel,
        "status": message.status,
        "read": message.read_at is not None,
        "created_at": timezone.localtime(message.created_at).isoformat(),
        "text": message.text,
        "link": message.link,
        "subject": f"{message.subject_type}:{message.subject_id}" if message.subject_type else None,
    }
