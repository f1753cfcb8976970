"""Triggers that refuse UPDATE and DELETE on core_event (SQL per vendor in core/append_only.py)."""
from django.db import migrations

from core import append_only


def install(apps, schema_editor):
    append_only.install(schema_editor.connection)


def remove(apps, schema_editor):
    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_event_log")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
