"""PostgreSQL only: partition the interruption table by month of start_s (epoch seconds of
local time), so a year's report reads twelve partitions, not the whole history. SQLite keeps
the plain table."""
from datetime import datetime

from django.db import migrations

TABLE = "outages_interruption"
FIRST_YEAR, LAST_YEAR = 2015, 2035  # later months land in the default partition until added


def _epoch(year: int, month: int) -> int:
    return int((datetime(year, month, 1) - datetime(1970, 1, 1)).total_seconds())


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
                    [TABLE, "%pkey"])
        index_defs = [row[0] for row in cur.fetchall()]
    run(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_plain")
    run(f"CREATE TABLE {TABLE} (LIKE {TABLE}_plain INCLUDING DEFAULTS) PARTITION BY RANGE (start_s)")
    run(f"DROP TABLE {TABLE}_plain")
    run(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
    # A partitioned table's key must contain the partition column.
    run(f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id, start_s)")
    for definition in index_defs:
        run(definition)
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for month in range(1, 13):
            nxt = (year + month // 12, month % 12 + 1)
            run(f"CREATE TABLE {TABLE}_y{year}m{month:02d} PARTITION OF {TABLE} "
                f"FOR VALUES FROM ({_epoch(year, month)}) TO ({_epoch(*nxt)})")
    run(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")


class Migration(migrations.Migration):
    dependencies = [("outages", "0001_initial")]
    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
