"""Pauses say by when the customer is asked to act; the old in-app notices move into the
outbox (core.OutboxMessage), which is now the one way messages reach people."""
from django.db import migrations, models

# Old kinds → outbox kinds.
KINDS = {"stage_warning": "warning", "stage_overdue": "overdue", "escalation": "escalated",
         "complaint": "complaint_filed"}


def copy_notifications(apps, schema_editor):
    Notification = apps.get_model("applications", "Notification")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    rows = [
        OutboxMessage(
            key=f"legacy:{n.dedupe_key}"[:200], user_id=n.recipient_id, kind=KINDS.get(n.kind, n.kind),
            channel="inapp", text=n.message, status="sent", sent_at=n.created_at, next_attempt_at=n.created_at,
            created_at=n.created_at, read_at=n.read_at,
            subject_type="applications.application" if n.application_id else "",
            subject_id=str(n.application_id or ""),
            link=f"/work/applications/{n.application_id}/" if n.application_id else "",
        )
        for n in Notification.objects.all().iterator()
    ]
    OutboxMessage.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0002_bounds"),
        ("core", "0003_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="pause",
            name="respond_by",
            field=models.DateField(blank=True, help_text="the day the customer is asked to act by", null=True),
        ),
        migrations.RunPython(copy_notifications, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(
            name="Notification",
        ),
    ]
