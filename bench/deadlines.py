"""Benchmark of the legal clock (issue 3, section 5).

1,000,000 deadlines, random starts 2015–2026, limits 1–60, half in working days and half
in calendar days, computed by `clock.add_many` (batch) and by `clock.add` (one call each),
against three baselines measured in the same run:

- a day-by-day loop on `chinese_calendar.is_workday` (slow: timed on a fixed random
  subsample and extrapolated; its answers must equal ours on that subsample);
- a plain Python day loop over holiday / make-up workday sets (all 1,000,000; answers
  must equal ours);
- `numpy.busday_offset` with a holiday list: it cannot express 调休 working weekends, so
  it is timed on the same batch but not compared.

Targets: batch time / busday_offset time ≤ 1.0; single add() ≤ 2 µs on average.
Runs standalone, no database: `.venv/bin/python bench/deadlines.py [--n N] [--seed S]`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import chinese_calendar
import numpy as np

# Runs from a checkout too, installed or not: the repository root holds the workdays package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workdays import clock  # noqa: E402
from workdays.official import official_days  # noqa: E402
from workdays.provisional import provisional_holidays  # noqa: E402
from workdays.tests.reference import day_loop  # noqa: E402

SINGLE_TARGET_US = 2.0
BATCH_TARGET_RATIO = 1.0


def build_schedule() -> tuple[clock.Schedule, list[int]]:
    """chinesecalendar's years as official, the following year provisional (a start late in
    2026 plus 60 working days ends in 2027)."""
    official = official_days()
    provisional_years = [official.last_year + 1]
    holidays = dict(official.holidays)
    for year in provisional_years:
        holidays.update(provisional_holidays(year))
    schedule = clock.Schedule(
        first_year=official.first_year,
        last_year=provisional_years[-1],
        holidays=holidays,
        makeup_workdays=official.makeup_workdays,
        provisional_years=frozenset(provisional_years),
    )
    return schedule, provisional_years


def timed(label: str, fn, repeat: int = 1):
    best, result = None, None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - began
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="deadlines in the batch")
    parser.add_argument("--sample", type=int, default=20_000, help="subsample for the chinese_calendar loop")
    parser.add_argument("--seed", type=int, default=20260929)
    args = parser.parse_args()

    schedule, provisional_years = build_schedule()
    rng = np.random.default_rng(args.seed)
    first, last = np.datetime64("2015-01-01"), np.datetime64("2026-12-31")
    starts = first + rng.integers(0, int((last - first).astype(int)) + 1, args.n)
    ns = rng.integers(1, 61, args.n)
    units = np.where(rng.random(args.n) < 0.5, "workday", "day")
    # Python objects for the per-call paths, made outside every timed region.
    start_dates = starts.astype(object).tolist()
    n_list = ns.tolist()
    unit_list = units.tolist()
    print(f"{args.n:,} deadlines, starts {first}..{last}, limits 1..60, "
          f"{(units == 'workday').mean():.1%} in workdays, the rest in days")
    print(f"schedule: official {schedule.first_year}–{schedule.last_year - len(provisional_years)} "
          f"(chinesecalendar {chinese_calendar.__version__}), provisional {provisional_years}")
    print()

    # --- ours: batch ----------------------------------------------------------------------
    batch_time, batch = timed("add_many", lambda: clock.add_many(starts, ns, units, schedule), repeat=5)
    batch_list = batch.astype(object).tolist()

    # --- ours: one add() per deadline -------------------------------------------------------
    add = clock.add

    def single_calls():
        return [add(s, n, u, schedule) for s, n, u in zip(start_dates, n_list, unit_list, strict=True)]

    single_time, singles = timed("add", single_calls, repeat=3)
    assert singles == batch_list, "add() and add_many() disagree"

    # --- baseline: plain Python day loop over sets -----------------------------------------
    holiday_set = frozenset(schedule.holidays)
    makeup_set = frozenset(schedule.makeup_workdays)

    def set_is_working(day):
        return day in makeup_set or (day.weekday() < 5 and day not in holiday_set)

    set_time, by_sets = timed(
        "sets", lambda: [day_loop(s, n, u, set_is_working) for s, n, u in zip(start_dates, n_list, unit_list, strict=True)]
    )
    assert by_sets == batch_list, "the set day loop disagrees with the clock"

    # --- baseline: day loop on chinese_calendar.is_workday (subsample) ----------------------
    # chinesecalendar knows only up to its last year, so the subsample is drawn from the
    # deadlines whose walk stays inside it (the due date tells how far the walk went).
    cc_last = dt.date(schedule.last_year - len(provisional_years), 12, 31)
    inside = np.flatnonzero(batch <= np.datetime64(cc_last))
    sample = np.sort(np.random.default_rng(args.seed + 1).choice(inside, size=min(args.sample, inside.size), replace=False))
    sample_args = [(start_dates[i], n_list[i], unit_list[i]) for i in sample]
    cc_time, by_cc = timed(
        "chinese_calendar", lambda: [day_loop(s, n, u, chinese_calendar.is_workday) for s, n, u in sample_args]
    )
    assert by_cc == [batch_list[i] for i in sample], "the chinese_calendar day loop disagrees with the clock"
    cc_extrapolated = cc_time * args.n / len(sample)
    # The clock on the very same subsample, for a like-for-like ratio.
    ours_on_sample, _ = timed("sample", lambda: [add(s, n, u, schedule) for s, n, u in sample_args], 3)

    # --- baseline: numpy.busday_offset --------------------------------------------------------
    # Workday limits: the N-th business day after start = busday_offset(start, N, roll="backward").
    # Day limits: start + N rolled forward. Holidays only: 调休 weekends cannot be expressed.
    holiday_days = np.array(sorted(schedule.holidays), dtype="datetime64[D]")
    workday = units == "workday"
    wd_starts, wd_ns = starts[workday], ns[workday]
    day_ends = starts[~workday] + ns[~workday]

    def busday_batch():
        out = np.empty(starts.shape, dtype="datetime64[D]")
        out[workday] = np.busday_offset(wd_starts, wd_ns, roll="backward", holidays=holiday_days)
        out[~workday] = np.busday_offset(day_ends, 0, roll="forward", holidays=holiday_days)
        return out

    busday_time, busday = timed("busday_offset", busday_batch, repeat=5)
    busday_differs = int((busday != batch).sum())
    # The baseline does the same job: on a schedule without 调休 it gives our answers exactly.
    no_makeup = clock.Schedule(
        first_year=schedule.first_year, last_year=schedule.last_year, holidays=schedule.holidays, makeup_workdays={}
    )
    assert (busday == clock.add_many(starts, ns, units, no_makeup)).all(), "busday_offset baseline is not like-for-like"

    # --- report ---------------------------------------------------------------------------------
    n = args.n
    single_us = single_time / n * 1e6
    rows = [
        ("clock.add_many (batch)", batch_time, "measured"),
        ("clock.add (1 call each)", single_time, "measured"),
        ("numpy.busday_offset (holiday list)", busday_time,
         f"measured; {busday_differs:,} answers differ for lack of 调休 (none without them)"),
        ("Python day loop over sets", set_time, "measured, answers identical"),
        ("day loop on chinese_calendar.is_workday", cc_extrapolated,
         f"extrapolated from a subsample of {len(sample):,} (timed {cc_time:.2f} s), answers identical there"),
    ]
    print(f"{'method':40} {'time for all':>14} {'per deadline':>14}  note")
    for label, seconds, note in rows:
        print(f"{label:40} {seconds:12.3f} s {seconds / n * 1e6:11.3f} µs  {note}")
    print()
    batch_ratio = batch_time / busday_time
    print(f"batch / numpy.busday_offset          = {batch_ratio:.3f}  (target ≤ {BATCH_TARGET_RATIO})")
    print(f"Python set loop / batch              = {set_time / batch_time:,.0f}×")
    print(f"Python set loop / single add()       = {set_time / single_time:,.1f}×")
    print(f"chinese_calendar loop / single add() = {cc_time / ours_on_sample:,.0f}× (same {len(sample):,} deadlines)")
    print(f"single add() average                 = {single_us:.3f} µs per call, loop included (target ≤ {SINGLE_TARGET_US} µs)")
    print()
    batch_ok = batch_ratio <= BATCH_TARGET_RATIO
    single_ok = single_us <= SINGLE_TARGET_US
    print(f"{'PASS' if batch_ok else 'FAIL'}: batch is no slower than numpy.busday_offset ({batch_ratio:.3f} ≤ {BATCH_TARGET_RATIO})")
    print(f"{'PASS' if single_ok else 'FAIL'}: single add() averages ≤ {SINGLE_TARGET_US} µs ({single_us:.3f} µs)")
    return 0 if batch_ok and single_ok else 1


if __name__ == "__main__":
    sys.exit(main())
