"""Django's `flush`, made to work on SQLite now that the event table refuses DELETE.

PostgreSQL flushes with TRUNCATE, which row triggers do not see; SQLite flushes with
DELETE, which they refuse. `flush` is a deliberate wipe of the whole database by its
owner (and what transactional tests run between tests), so on SQLite the guard is lifted
for the wipe and put back in the same transaction.
"""
from django.core.management.commands import flush
from django.db import connections, transaction

from core import append_only


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            append_only.remove(connection)
            super().handle(**options)
            append_only.install(connection)
