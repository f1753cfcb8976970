"""The reliability benchmark at a small scale: getpower's SQL and the hand-written numpy version
agree on the same synthetic province (the full-scale run is by hand: bench/reliability.py)."""
import importlib.util
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")


def _bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "reliability.py"
    spec = importlib.util.spec_from_file_location("bench_reliability", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("reach", ["numpy", "sql"])
def test_sql_and_numpy_agree_on_a_small_synthetic_province(db, reach):
    from accounts.models import Division
    from outages import queries

    bench = _bench()
    net, rows, (lo, hi) = bench.synthesise(np.random.default_rng(7), 16_000, 800, 2025)  # 40 feeders: every county has some
    ids = bench.load_database(net, rows, bench.reach_columns(rows) if reach == "numpy" else None)
    if reach == "sql":
        bench.maintain()
    codes = dict(Division.objects.filter(pk__in=ids.values()).values_list("pk", "code"))
    reference = bench.numpy_doc(net, rows, lo, hi, {k: codes[pk] for k, pk in ids.items()})
    doc = queries.indices_doc(lo=lo, hi=hi, region="shaanxi", now_s=hi + 86400)
    doc.pop("_cells")
    assert doc == reference
    assert doc["short_interruptions"] > 0 and doc["saidi_hours"] > 0
    # A month too: rows cross both of its ends.
    m_lo, m_hi = lo + 31 * 86400, lo + 59 * 86400
    month = queries.indices_doc(lo=m_lo, hi=m_hi, region="shaanxi", now_s=hi + 86400)
    month.pop("_cells")
    assert month == bench.numpy_doc(net, rows, m_lo, m_hi, {k: codes[pk] for k, pk in ids.items()})
