"""Django's `flush`, made to work now that the event log refuses DELETE and TRUNCATE.

`flush` is a deliberate wipe of the whole database by its owner (and what transactional
tests run between tests), so the guard is lifted for the wipe and put back in the same
transaction (both SQLite and PostgreSQL run these DDL statements transactionally).
"""
from django.core.management.commands import flush
from django.db import connections, transaction

from core import append_only


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias):
            append_only.remove(connection)
            super().handle(**options)
            append_only.install(connection)
