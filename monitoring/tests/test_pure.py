"""Periods, judging and the policy target walk: pure, property-tested."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring import judge, periods

years = st.integers(min_value=2001, max_value=2099)


@given(years, st.integers(1, 12))
def test_a_month_is_its_days_and_follows_the_one_before(y, m):
    month = periods.parse(f"{y}-{m:02d}")
    assert month.start == date(y, m, 1) and (month.end - timedelta(days=1)).month == m
    assert month.previous().end == month.start
    assert month.months() == [month]


@given(years, st.integers(1, 4))
def test_a_quarter_is_three_months_end_to_end(y, q):
    quarter = periods.parse(f"{y}Q{q}")
    months = quarter.months()
    assert len(months) == 3 and months[0].start == quarter.start and months[-1].end == quarter.end
    assert all(a.end == b.start for a, b in zip(months, months[1:], strict=False))
    assert quarter.previous().end == quarter.start
    assert quarter.same_last_year().start == date(y - 1, quarter.start.month, 1)


@given(years, st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_every_day_lies_in_exactly_one_month_of_its_year(y, day):
    year = periods.parse(str(day.year))
    assert sum(m.contains(day) for m in year.months()) == 1
    assert periods.containing(day, "quarter").contains(day)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026Q5", "26", "1999", "2026-1", "2026/10", "", "2026Q0"])
def test_a_bad_period_is_refused_in_chinese(text):
    with pytest.raises(periods.BadPeriod):
        periods.parse(text)


def test_periods_read_in_chinese():
    assert periods.parse("2026Q3").chinese == "2026年第3季度"
    assert periods.parse("2026-10").chinese == "2026年10月"


@given(st.floats(0, 1000, allow_nan=False), st.floats(0.1, 1000, allow_nan=False))
def test_lower_is_better_is_missed_exactly_above_the_target(value, target):
    status = judge.status(value, target, judge.LOWER_IS_BETTER)
    assert (status == judge.MISSED) == (value > target)
    assert status != judge.NA


@given(st.floats(0, 100, allow_nan=False), st.floats(1, 100, allow_nan=False))
def test_higher_is_better_is_missed_exactly_below_the_target(value, target):
    status = judge.status(value, target, judge.HIGHER_IS_BETTER)
    assert (status == judge.MISSED) == (value < target)


def test_a_full_share_meets_a_full_target_and_nothing_is_guessed():
    assert judge.status(100, 100, judge.HIGHER_IS_BETTER) == judge.MET
    assert judge.status(99.5, 100, judge.HIGHER_IS_BETTER) == judge.MISSED
    assert judge.status(14, 15, judge.LOWER_IS_BETTER) == judge.AT_RISK
    assert judge.status(10, 15, judge.LOWER_IS_BETTER) == judge.MET
    assert judge.status(None, 15, judge.LOWER_IS_BETTER) == judge.NA
    assert judge.status(3, None, judge.LOWER_IS_BETTER) == judge.NA


@given(st.lists(st.integers(0, 500), min_size=1, max_size=200), st.sampled_from([50, 90, 95]))
def test_nearest_rank_percentile_agrees_with_its_definition(values, p):
    ordered = sorted(values)
    value = judge.percentile(ordered, p)
    # Nearest rank: at least p % of the values are at or below it, and it is one of them.
    assert value in ordered
    assert sum(v <= value for v in ordered) >= p / 100 * len(ordered)
    assert ordered[judge.nearest_rank(len(ordered), p)] == value


@given(st.lists(st.integers(0, 60), max_size=200), st.sampled_from([50, 90, 95]))
def test_the_percentile_of_a_histogram_is_the_percentile_of_its_values(values, p):
    counts = [(value, values.count(value)) for value in set(values)] + [(99, 0)]
    expected = judge.percentile(sorted(values), p) if values else None
    assert judge.percentile_of_counts(counts, p) == expected
