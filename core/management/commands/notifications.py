"""`getpower notifications list [--user U] [--application NUMBER] [--kind K] [--json]`.

Each item: recipient (username, or the contact's name), kind, channel, status, read,
created_at (ISO 8601, Asia/Shanghai), text, plus link and subject.
"""
import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from core import outbox
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
        rows = OutboxMessage.objects.select_related("user").order_by("-created_at", "-id")
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: no user {options['user']!r}")
            rows = rows.filter(user=user)
        if options["application"]:
            Application = apps.get_model("applications", "Application")
            application = Application.objects.filter(number=options["application"]).first()
            if application is None:
                raise CommandError(f"--application: no application {options['application']!r}")
            rows = rows.filter(subject_type=Application._meta.label_lower, subject_id=str(application.pk))
        if options["kind"]:
            if options["kind"] not in outbox.message_kinds():
                raise CommandError(f"--kind: one of {', '.join(sorted(outbox.message_kinds()))}")
            rows = rows.filter(kind=options["kind"])
        if options["channel"]:
            rows = rows.filter(channel=options["channel"])
        if not 1 <= options["limit"] <= 10000:
            raise CommandError("--limit: 1 to 10000")
        items = [_item(m) for m in rows[: options["limit"]]]
        if options["json"]:
            self.stdout.write(json.dumps({"items": items, "count": len(items)}, ensure_ascii=False))
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
