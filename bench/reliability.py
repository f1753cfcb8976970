"""Benchmark of the reliability indices from the database (issue 12, Scale).

A synthetic province: 1,000,000 customers under 50,000 transformers on 2,500 feeders in 40
counties, and 200,000 outage events in one year (89 % on a transformer, 9 % on a feeder,
2 % on one customer) — about 10,700,000 customer interruptions, some overlapping, some
crossing the year's ends, about 5 % short (≤ 3 min).

Timed in the same run on the same data:
- getpower: `outages.queries.indices_doc` — SQL aggregates over the interruption table
  (all nine views: all, excl. external, excl. shortage, planned/fault and their exclusions);
  The rows wholly inside the period are plain sums of the gain columns the actions keep
  (`refresh_reach`/`refresh_gains`); only rows crossing the period's ends or still open are
  clipped in SQL. On SQLite a covering index in (county, area, kind) order lets the groups be
  summed without sorting the table (SQLite has no hash aggregate).
- numpy: a hand-written vectorised version over the same rows held in memory.
Both documents must be equal. Target: getpower time / numpy time ≤ 2.

Runs on a fresh SQLite file by default, or on PostgreSQL with DATABASE_URL (use a database
of your own: it is dropped and re-created by the test runner's machinery, not here — the
tables are emptied and refilled).
    .venv/bin/python bench/reliability.py [--customers N] [--events N] [--seed S]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_RATIO = 2.0
AREAS = ("city_core", "urban", "town", "rural")
KINDS = ("planned", "fault")
CAUSES = ("equipment", "weather", "external", "supply_shortage", "maintenance")


def setup_django(db_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "getpower.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{db_dir}/bench.sqlite3"
    os.environ.setdefault("GETPOWER_DATA_DIR", db_dir)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def synthesise(rng: np.random.Generator, n_customers: int, n_events: int, year: int):
    """Arrays of the province: customers' transformer/feeder/cell, and the interruptions."""
    from outages.reliability import seconds

    per_transformer = 20
    n_transformers = n_customers // per_transformer
    n_feeders = n_transformers // 20
    n_counties = 40
    transformer_of = np.arange(n_customers) // per_transformer
    feeder_of_transformer = np.arange(n_transformers) // 20
    county_of_feeder = np.arange(n_feeders) % n_counties
    area_of_feeder = rng.integers(0, 4, n_feeders)
    feeder_of = feeder_of_transformer[transformer_of]
    county_of = county_of_feeder[feeder_of]
    area_of = area_of_feeder[feeder_of]

    lo, hi = seconds(datetime(year, 1, 1)), seconds(datetime(year + 1, 1, 1))
    scope = rng.random(n_events)
    kind = (rng.random(n_events) < 0.3).astype(np.int8) ^ 1  # 70 % faults (1), 30 % planned (0)
    cause = np.where(kind == 0, 4, rng.choice([0, 1, 2, 3], n_events, p=[0.6, 0.25, 0.1, 0.05]))
    start = rng.integers(lo - 86400, hi, n_events)
    minutes = np.where(rng.random(n_events) < 0.05, rng.integers(1, 4, n_events), rng.integers(5, 480, n_events))
    end = start + minutes * 60
    customers_of_event = []
    for i in range(n_events):
        if scope[i] < 0.89:
            t = rng.integers(0, n_transformers)
            customers_of_event.append(np.arange(t * per_transformer, (t + 1) * per_transformer))
        elif scope[i] < 0.98:  # 9 % on a whole feeder
            f = rng.integers(0, n_feeders)
            customers_of_event.append(np.arange(f * 400, (f + 1) * 400))
        else:
            customers_of_event.append(np.array([rng.integers(0, n_customers)]))
    counts = np.array([len(c) for c in customers_of_event])
    rows = {
        "customer": np.concatenate(customers_of_event),
        "start": np.repeat(start, counts),
        "end": np.repeat(end, counts),
        "kind": np.repeat(kind, counts),
        "cause": np.repeat(cause, counts),
    }
    return {"transformer_of": transformer_of, "feeder_of": feeder_of, "county_of": county_of, "area_of": area_of,
            "n_transformers": n_transformers, "n_feeders": n_feeders, "n_counties": n_counties}, rows, (lo, hi)


VIEW_MASKS = {
    "all": lambda k, c: np.ones(len(k), bool), "excl_external": lambda k, c: c != 2,
    "excl_shortage": lambda k, c: c != 3, "planned": lambda k, c: k == 0, "fault": lambda k, c: k == 1,
    "planned_excl_external": lambda k, c: (k == 0) & (c != 2),
    "planned_excl_shortage": lambda k, c: (k == 0) & (c != 3),
    "fault_excl_external": lambda k, c: (k == 1) & (c != 2),
    "fault_excl_shortage": lambda k, c: (k == 1) & (c != 3),
}


def reach_columns(rows) -> dict[str, np.ndarray]:
    """What `queries.refresh_reach` writes, computed here for a bulk load: per view, the latest
    end among the customer's earlier long rows (by start, then id); -1 where there is none."""
    from outages import reliability

    n = len(rows["customer"])
    order = np.lexsort((np.arange(n), rows["start"], rows["customer"]))
    cust, end = rows["customer"][order], rows["end"][order]
    long_ = (rows["end"] - rows["start"])[order] > reliability.SHORT_SECONDS
    span = np.int64(2 ** 40)
    out = {}
    for name, mask in VIEW_MASKS.items():
        keep = long_ & mask(rows["kind"][order], rows["cause"][order])
        reach = np.full(n, -1, np.int64)
        pos = np.nonzero(keep)[0]
        if len(pos):
            c = cust[pos].astype(np.int64)
            shifted = end[pos] + c * span
            prev = np.empty_like(shifted)
            prev[0] = -1
            prev[1:] = np.maximum.accumulate(shifted)[:-1] - c[1:] * span
            first = np.ones(len(pos), bool)
            first[1:] = c[1:] != c[:-1]
            prev[first] = -1
            reach[order[pos]] = prev
        out[name] = reach
    return out


def gain_columns(rows, reach: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What `queries.refresh_gains` writes from the reach columns, for a bulk load (an UPDATE of
    every row after the load would leave PostgreSQL a table of dead row versions to scan)."""
    from outages import reliability

    start, end, kind, cause = rows["start"], rows["end"], rows["kind"], rows["cause"]
    long_ = end - start > reliability.SHORT_SECONDS

    def gain(r):
        return np.where((r < 0) | (r <= start), end - start, np.where(r < end, end - r, 0))

    def own(name):  # the reach of the row's own kind's view
        prefix = name.replace("all", "")
        return np.where(kind == 0, reach[f"planned{prefix}"], reach[f"fault{prefix}"])

    out = {}
    for suffix, keep in (("", np.ones(len(start), bool)), ("_excl_external", cause != 2), ("_excl_shortage", cause != 3)):
        out[f"gain{suffix or '_all'}"] = np.where(long_ & keep, gain(reach["all" if not suffix else suffix[1:]]), 0)
        out[f"gain_kind{suffix}"] = np.where(long_ & keep, gain(own(f"all{suffix}")), 0)
    out["island_all"] = (long_ & ((reach["all"] < 0) | (reach["all"] < start))).astype(np.int64)
    out["island_kind"] = (long_ & ((own("all") < 0) | (own("all") < start))).astype(np.int64)
    out["short"] = ((end > start) & ~long_).astype(np.int64)
    return out


def load_database(net, rows, reach: dict[str, np.ndarray] | None = None) -> dict[int, int]:
    """Divisions, feeders, transformers, customers and interruptions, in bulk."""
    from django.db import connection, transaction

    from accounts.models import Division
    from outages.models import Customer, Feeder, Interruption, Substation, Transformer

    with transaction.atomic():
        with connection.cursor() as cur:  # raw: Django's delete would walk ten million rows
            for model in (Interruption, Customer, Transformer, Feeder, Substation):
                if connection.vendor == "postgresql":
                    cur.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
                else:
                    cur.execute(f"DELETE FROM {model._meta.db_table}")
        for level in ("county", "city", "province"):
            Division.objects.filter(code__startswith="B", level=level).delete()
        province = Division.objects.create(code="B00", name="基准省", level="province", policy_region="shaanxi")
        city = Division.objects.create(code="B01", name="基准市", level="city", parent=province,
                                       policy_region="shaanxi")
        counties = [Division.objects.create(code=f"B{c + 100}", name=f"基准县{c}", level="county", parent=city,
                                            policy_region="shaanxi") for c in range(net["n_counties"])]
        county_ids = np.array([d.pk for d in counties])
        sub = Substation.objects.create(code="BS", name="基准站", county=counties[0])
        Feeder.objects.bulk_create([Feeder(id=f + 1, code=f"BF{f}", name=f"线{f}", substation=sub,
                                           county_id=int(county_ids[f % net["n_counties"]]), area="urban")
                                    for f in range(net["n_feeders"])], batch_size=5000)
        fot = np.arange(net["n_transformers"]) // 20
        Transformer.objects.bulk_create([Transformer(id=t + 1, code=f"BT{t}", name=f"变{t}", feeder_id=int(fot[t]) + 1,
                                                     county_id=int(county_ids[fot[t] % net["n_counties"]]),
                                                     area="urban")
                                         for t in range(net["n_transformers"])], batch_size=5000)
    table = Customer._meta.db_table
    n = len(net["transformer_of"])
    cust_rows = ((i + 1, f"BC{i}", "户", "lv", int(net["feeder_of"][i]) + 1, int(net["transformer_of"][i]) + 1,
                  int(county_ids[net["county_of"][i]]), AREAS[net["area_of"][i]], "", "", "", "2025-01-01 00:00:00+00")
                 for i in range(n))
    customer_columns = ("id", "code", "name", "kind", "feeder_id", "transformer_id", "county_id", "area",
                        "contact_name", "contact_phone_enc", "contact_email", "created_at")
    _bulk_insert(table, customer_columns, cust_rows)
    it = Interruption._meta.db_table
    cust = rows["customer"]
    county_col = county_ids[net["county_of"][cust]]
    area_col = net["area_of"][cust]
    columns = ["id", "outage_id", "customer_id", "county_id", "area", "kind", "cause", "start_s", "end_s"]
    values = [range(1, len(cust) + 1), [0] * len(cust), (cust + 1).tolist(), county_col.tolist(),
              [AREAS[x] for x in area_col], [KINDS[x] for x in rows["kind"]], [CAUSES[x] for x in rows["cause"]],
              rows["start"].tolist(), rows["end"].tolist()]
    if reach is not None:
        for name, column in reach.items():
            columns.append(f"reach_{name}")
            values.append([None if v < 0 else v for v in column.tolist()])
        for name, column in gain_columns(rows, reach).items():
            columns.append(name)
            values.append(column.tolist())
    _bulk_insert(it, tuple(columns), zip(*values, strict=True))
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {it}")
    return {i: int(county_ids[i]) for i in range(net["n_counties"])}


def _bulk_insert(table: str, columns: tuple[str, ...], rows) -> None:
    """COPY on PostgreSQL, executemany in chunks on SQLite: loading is not what is measured."""
    from itertools import islice

    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        rows = iter(rows)
        while chunk := list(islice(rows, 200_000)):
            cur.executemany(sql, chunk)


def maintain() -> float:
    """What the actions keep up as they write: the reach and gain columns, here for every row at once."""
    from django.db import transaction

    from outages import queries

    t0 = time.perf_counter()
    with transaction.atomic():
        queries.refresh_reach()
    return time.perf_counter() - t0


def numpy_doc(net, rows, lo: int, hi: int, county_code: dict[int, str]) -> dict:
    """The hand-written numpy version: same definitions as outages.reliability."""
    from outages import reliability

    n_cust = len(net["transformer_of"])
    cell_of_customer = net["county_of"] * 4 + net["area_of"]
    n_cells = net["n_counties"] * 4
    customers_per_cell = np.bincount(cell_of_customer, minlength=n_cells)
    s = np.maximum(rows["start"], lo)
    e = np.minimum(rows["end"], hi)
    inside = e > s
    full = rows["end"] - rows["start"]
    short = inside & (full <= reliability.SHORT_SECONDS)
    long_ = inside & ~short
    cust, s, e = rows["customer"][long_], s[long_], e[long_]
    kind, cause = rows["kind"][long_], rows["cause"][long_]
    order = np.lexsort((e, s, cust))
    cust, s, e, kind, cause = cust[order], s[order], e[order], kind[order], cause[order]
    views = {
        "all": np.ones(len(cust), bool), "excl_external": cause != 2, "excl_shortage": cause != 3,
        "planned": kind == 0, "fault": kind == 1,
        "planned_excl_external": (kind == 0) & (cause != 2), "planned_excl_shortage": (kind == 0) & (cause != 3),
        "fault_excl_external": (kind == 1) & (cause != 2), "fault_excl_shortage": (kind == 1) & (cause != 3),
    }
    span = np.int64(hi - lo + 10 * 86400)
    out = {}
    for name, keep in views.items():
        c, vs, ve = cust[keep], s[keep] - lo + 86400, e[keep] - lo + 86400
        if len(c) == 0:
            out[name] = (np.zeros(n_cells, np.int64), np.zeros(n_cells, np.int64))
            continue
        # Running max of end within a customer: offset each customer so a global running max
        # never carries over from the customer before.
        shifted = ve + c.astype(np.int64) * span
        prev = np.empty_like(shifted)
        prev[0] = -1
        prev[1:] = np.maximum.accumulate(shifted)[:-1]
        prev -= c.astype(np.int64) * span
        first = np.ones(len(c), bool)
        first[1:] = c[1:] != c[:-1]
        prev[first] = -1
        new_island = first | (vs > prev)
        added = np.where(prev < vs, ve - vs, np.where(prev < ve, ve - prev, 0))
        cells = cell_of_customer[c]
        out[name] = (np.bincount(cells, weights=added, minlength=n_cells).astype(np.int64),
                     np.bincount(cells, weights=new_island, minlength=n_cells).astype(np.int64))
    shorts = {}
    sc, sk = rows["customer"][short], rows["kind"][short]
    for name, keep in {"all": np.ones(len(sc), bool), "planned": sk == 0, "fault": sk == 1}.items():
        shorts[name] = np.bincount(cell_of_customer[sc[keep]], minlength=n_cells)

    def totals(prefix: str, cells_mask) -> reliability.Totals:
        base = prefix.rstrip("_") or "all"
        return reliability.Totals(
            int(customers_per_cell[cells_mask].sum()), int(out[base][0][cells_mask].sum()),
            int(out[base][1][cells_mask].sum()), int(out[f"{prefix}excl_external"][0][cells_mask].sum()),
            int(out[f"{prefix}excl_shortage"][0][cells_mask].sum()), int(shorts[base][cells_mask].sum()))

    period = hi - lo
    every = np.ones(n_cells, bool)
    doc = reliability.indices(totals("", every), period)
    cell_area = np.arange(n_cells) % 4
    cell_county = np.arange(n_cells) // 4
    doc["by_area"] = {AREAS[a]: reliability.indices(totals("", cell_area == a), period)
                      for a in sorted(range(4), key=lambda a: AREAS[a]) if customers_per_cell[cell_area == a].sum()}
    doc["by_county"] = {county_code[k]: reliability.indices(totals("", cell_county == k), period)
                        for k in sorted(range(net["n_counties"]), key=lambda k: county_code[k])}
    for kind_name in KINDS:
        doc[kind_name] = reliability.indices(totals(f"{kind_name}_", every), period)
    assert n_cust == int(customers_per_cell.sum())
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings for each side")
    parser.add_argument("--reach", choices=["sql", "numpy"], default="sql",
                        help="fill the reach columns with refresh_reach (sql) or precompute them for the bulk load")
    args = parser.parse_args()
    year = 2025
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from django.db import connection

        from accounts.models import Division
        from outages import queries

        rng = np.random.default_rng(args.seed)
        t0 = time.perf_counter()
        net, rows, (lo, hi) = synthesise(rng, args.customers, args.events, year)
        print(f"synthetic province: {args.customers:,} customers, {net['n_transformers']:,} transformers, "
              f"{net['n_feeders']:,} feeders, {args.events:,} events, {len(rows['customer']):,} customer "
              f"interruptions ({time.perf_counter() - t0:.1f} s)")
        t0 = time.perf_counter()
        reach = reach_columns(rows) if args.reach == "numpy" else None
        ids = load_database(net, rows, reach)
        codes = dict(Division.objects.filter(pk__in=ids.values()).values_list("pk", "code"))
        county_code = {k: codes[pk] for k, pk in ids.items()}
        if reach is None:
            print(f"loaded into {connection.vendor} in {time.perf_counter() - t0:.1f} s; "
                  f"reach and gain columns kept up in {maintain():.1f} s (the actions do this per customer as they write)")
        else:
            print(f"loaded into {connection.vendor} with the reach and gain columns precomputed in {time.perf_counter() - t0:.1f} s")
        now_s = hi + 86400  # every interruption is over
        ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            doc = queries.indices_doc(lo=lo, hi=hi, region="shaanxi", now_s=now_s)
            ours.append(time.perf_counter() - t0)
            ours_cpu.append(time.process_time() - c0)
            t0, c0 = time.perf_counter(), time.process_time()
            reference = numpy_doc(net, rows, lo, hi, county_code)
            theirs.append(time.perf_counter() - t0)
            theirs_cpu.append(time.process_time() - c0)
        doc.pop("_cells")
        equal = doc == reference
        ratio = min(ours) / min(theirs)
        print(f"getpower SQL ({connection.vendor}): {min(ours):.2f} s wall   numpy: {min(theirs):.2f} s wall   "
              f"ratio {ratio:.2f} (target ≤ {TARGET_RATIO})")
        if connection.vendor == "sqlite":  # in-process: CPU time is fair on a shared machine
            print(f"  CPU: getpower {min(ours_cpu):.2f} s   numpy {min(theirs_cpu):.2f} s   "
                  f"ratio {min(ours_cpu) / min(theirs_cpu):.2f}")
        print(f"SAIDI {doc['saidi_hours']:.4f} h  SAIFI {doc['saifi']:.4f}  short {doc['short_interruptions']:,}  "
              f"results equal: {equal}")
        if not equal:
            for key in doc:
                if doc[key] != reference.get(key):
                    print(f"  differs at {key}: {doc[key]!r} != {reference.get(key)!r}"[:400])
            return 1
        return 0 if ratio <= TARGET_RATIO else 2


if __name__ == "__main__":
    raise SystemExit(main())
