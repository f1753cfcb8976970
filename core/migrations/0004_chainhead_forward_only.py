"""Re-install the guards: the chain head may only move forward, and PostgreSQL refuses
TRUNCATE of the log or the head (SQL per vendor in core/append_only.py)."""
from django.db import migrations

from core import append_only


def install(apps, schema_editor):
    append_only.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_outbox")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop, elidable=False)]
