"""Database triggers that refuse UPDATE and DELETE on the event table.

They stop every writer that only has table rights (the application, a leaked DB login,
a careless script); someone with DDL rights can drop them, which is what the hash chain
is for. Both vendors report the refusal as an integrity error (django.db.IntegrityError)
whose message says "append-only".

`install` runs from migrations; `remove` exists for the migration's reverse and for the
SQLite flush (core/management/commands/flush.py).
"""
from __future__ import annotations

TABLE = "core_event"
MESSAGE = "core_event is append-only"

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS core_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_event_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END""",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_event_no_update",
    "DROP TRIGGER IF EXISTS core_event_no_delete",
]

# SQLSTATE 23000 (integrity_constraint_violation) so psycopg raises IntegrityError, as SQLite does.
_POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION core_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
    f"DROP TRIGGER IF EXISTS core_event_no_update_delete ON {TABLE}",
    f"""CREATE TRIGGER core_event_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION core_event_refuse_change()""",
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS core_event_no_update_delete ON {TABLE}",
    "DROP FUNCTION IF EXISTS core_event_refuse_change()",
]

_SQL = {
    "sqlite": {"install": _SQLITE_INSTALL, "remove": _SQLITE_REMOVE},
    "postgresql": {"install": _POSTGRES_INSTALL, "remove": _POSTGRES_REMOVE},
}


def _statements(connection, step: str) -> list[str]:
    try:
        return _SQL[connection.vendor][step]
    except KeyError:
        # Refuse rather than run unprotected on a database we have no triggers for.
        raise NotImplementedError(f"no append-only triggers for database vendor {connection.vendor!r}") from None


def install(connection) -> None:
    """Create (or re-create) the triggers; safe to run twice."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, "install"):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection, "remove"):
            cursor.execute(sql)
