"""Database triggers that refuse UPDATE and DELETE on the event table, any rewind or delete
of the chain head, and (PostgreSQL) TRUNCATE of either.

They stop every writer that only has table rights (the application, a leaked DB login,
a careless script); someone with DDL rights can drop them, which is what the hash chain
is for. Both vendors report the refusal as an integrity error (django.db.IntegrityError)
whose message says "append-only".

`install` runs from migrations; `remove` exists for the migration's reverse and for the
SQLite flush (core/management/commands/flush.py).
"""
from __future__ import annotations

TABLE = "core_event"
HEAD = "core_chainhead"
MESSAGE = "core_event is append-only"
HEAD_MESSAGE = "core_chainhead is append-only (it only moves forward)"

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS core_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_event_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END""",
    # The head moves forward with every event and is never deleted: cutting the log's tail
    # and rewinding the head to match is what a restore of an old backup looks like.
    f"""CREATE TRIGGER IF NOT EXISTS core_chainhead_no_rewind BEFORE UPDATE ON {HEAD}
        WHEN NEW.last_seq <= OLD.last_seq OR NEW.id <> OLD.id
        BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}: rewind refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_chainhead_no_delete BEFORE DELETE ON {HEAD}
        BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}: DELETE refused'); END""",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_event_no_update",
    "DROP TRIGGER IF EXISTS core_event_no_delete",
    "DROP TRIGGER IF EXISTS core_chainhead_no_rewind",
    "DROP TRIGGER IF EXISTS core_chainhead_no_delete",
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
    # Row triggers never see TRUNCATE; a statement trigger does.
    f"DROP TRIGGER IF EXISTS core_event_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER core_event_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION core_event_refuse_change()""",
    f"""CREATE OR REPLACE FUNCTION core_chainhead_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                IF NEW.last_seq > OLD.last_seq AND NEW.id = OLD.id THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{HEAD_MESSAGE}: rewind refused' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RAISE EXCEPTION '{HEAD_MESSAGE}: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
    f"DROP TRIGGER IF EXISTS core_chainhead_forward_only ON {HEAD}",
    f"""CREATE TRIGGER core_chainhead_forward_only BEFORE UPDATE OR DELETE ON {HEAD}
        FOR EACH ROW EXECUTE FUNCTION core_chainhead_forward_only()""",
    f"DROP TRIGGER IF EXISTS core_chainhead_no_truncate ON {HEAD}",
    f"""CREATE TRIGGER core_chainhead_no_truncate BEFORE TRUNCATE ON {HEAD}
        FOR EACH STATEMENT EXECUTE FUNCTION core_chainhead_forward_only()""",
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS core_event_no_update_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS core_event_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS core_chainhead_forward_only ON {HEAD}",
    f"DROP TRIGGER IF EXISTS core_chainhead_no_truncate ON {HEAD}",
    "DROP FUNCTION IF EXISTS core_event_refuse_change()",
    "DROP FUNCTION IF EXISTS core_chainhead_forward_only()",
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
