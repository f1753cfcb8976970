"""The pure clock against a day-by-day reference, and the cases an applicant would check by hand."""
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workdays import clock
from workdays.clock import DAY, WORKDAY
from workdays.tests.schedules import SCHEDULE, ref_add, ref_count, ref_reason, ref_working

starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))
limits = st.integers(min_value=0, max_value=150)
units = st.sampled_from([WORKDAY, DAY])
PROPERTY = settings(max_examples=400, deadline=None)


@PROPERTY
@given(start=starts, n=limits, unit=units)
def test_add_matches_the_day_by_day_reference(start, n, unit):
    assert clock.add(start, n, unit, SCHEDULE) == ref_add(start, n, unit)


@PROPERTY
@given(start=starts, n=limits, unit=units)
def test_the_due_date_is_always_a_working_day(start, n, unit):
    assert ref_working(clock.add(start, n, unit, SCHEDULE))


@PROPERTY
@given(start=starts, span=st.integers(min_value=0, max_value=800))
def test_count_matches_the_reference(start, span):
    end = min(start + timedelta(days=span), SCHEDULE.last_date)
    assert clock.count(start, end, SCHEDULE) == ref_count(start, end)


@PROPERTY
@given(start=starts, n=st.integers(min_value=1, max_value=150))
def test_n_workdays_later_is_exactly_n_working_days_away(start, n):
    due = clock.add(start, n, WORKDAY, SCHEDULE)
    assert clock.count(start, due, SCHEDULE) == n
    assert clock.count(start, due - timedelta(days=1), SCHEDULE) == n - 1


@PROPERTY
@given(start=starts, n=limits, unit=units)
def test_explain_accounts_for_every_day(start, n, unit):
    why = clock.explain(start, n, unit, SCHEDULE)
    assert why.due == ref_add(start, n, unit)
    assert (why.start, why.unit, why.limit) == (start, unit, n)
    for skipped in why.skipped:
        assert skipped.reason == ref_reason(skipped.date) is not None
    if unit == WORKDAY and n > 0:
        # (start, due] splits into the working days counted and the rest days skipped.
        window = [start + timedelta(days=i) for i in range(1, (why.due - start).days + 1)]
        assert list(why.counted) == [d for d in window if ref_working(d)]
        assert [s.date for s in why.skipped] == [d for d in window if not ref_working(d)]
        assert len(why.counted) == n and why.moved is None
    else:
        last = start + timedelta(days=n)
        assert list(why.counted) == [start + timedelta(days=i) for i in range(1, n + 1)]
        if ref_working(last):
            assert why.moved is None and why.skipped == () and why.due == last
        else:
            assert why.moved == clock.Move(last, ref_reason(last))
            assert [s.date for s in why.skipped] == [last + timedelta(days=i) for i in range((why.due - last).days)]
    consulted_from = start if n == 0 else start + timedelta(days=1)
    assert why.provisional == any(
        (consulted_from + timedelta(days=i)).year in SCHEDULE.provisional_years
        for i in range((why.due - consulted_from).days + 1)
    )


@settings(max_examples=200, deadline=None)
@given(batch=st.lists(st.tuples(starts, limits, units), min_size=1, max_size=60))
def test_add_many_agrees_with_the_reference_element_by_element(batch):
    start_days = np.array([s for s, _, _ in batch], dtype="datetime64[D]")
    ns = [n for _, n, _ in batch]
    unit_values = [str(u) for _, _, u in batch]
    got = clock.add_many(start_days, ns, unit_values, SCHEDULE)
    assert got.dtype == np.dtype("datetime64[D]")
    assert got.astype(object).tolist() == [ref_add(s, n, u) for s, n, u in batch]


@settings(max_examples=100, deadline=None)
@given(batch=st.lists(st.tuples(starts, limits), min_size=1, max_size=40), unit=units)
def test_add_many_with_one_unit_for_the_whole_batch(batch, unit):
    got = clock.add_many([s for s, _ in batch], [n for _, n in batch], unit, SCHEDULE)
    assert got.astype(object).tolist() == [ref_add(s, n, unit) for s, n in batch]


# -- Cases read off the 2026 State Council schedule (chinesecalendar) --------------------------


def test_five_workdays_across_national_day_2026_count_the_make_up_saturday():
    why = clock.explain(date(2026, 9, 29), 5, WORKDAY, SCHEDULE)
    assert why.due == date(2026, 10, 12)
    assert why.counted == (date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12))
    assert clock.SkippedDay(date(2026, 10, 1), "holiday:国庆节") in why.skipped
    assert clock.SkippedDay(date(2026, 10, 11), "weekend") in why.skipped
    assert why.moved is None and why.provisional is False


def test_spring_festival_2026_make_up_saturday_counts_then_the_holiday_is_skipped():
    assert clock.add(date(2026, 2, 13), 1, WORKDAY, SCHEDULE) == date(2026, 2, 14)  # 调休 Saturday
    assert clock.add(date(2026, 2, 13), 2, WORKDAY, SCHEDULE) == date(2026, 2, 24)  # after 15–23 Feb


def test_a_day_limit_ending_on_a_make_up_saturday_does_not_move():
    why = clock.explain(date(2026, 2, 4), 10, DAY, SCHEDULE)
    assert why.due == date(2026, 2, 14)
    assert why.moved is None and why.skipped == ()


def test_a_day_limit_ending_on_a_sunday_moves_to_monday():
    why = clock.explain(date(2026, 3, 5), 3, DAY, SCHEDULE)
    assert why.due == date(2026, 3, 9)
    assert why.moved == clock.Move(date(2026, 3, 8), "weekend")
    assert why.skipped == (clock.SkippedDay(date(2026, 3, 8), "weekend"),)


def test_a_day_limit_ending_inside_national_day_moves_past_the_whole_block():
    why = clock.explain(date(2026, 9, 29), 5, DAY, SCHEDULE)
    assert why.due == date(2026, 10, 8)
    assert why.moved == clock.Move(date(2026, 10, 4), "holiday:国庆节")
    assert [s.date for s in why.skipped] == [date(2026, 10, d) for d in range(4, 8)]


@pytest.mark.parametrize("unit", [WORKDAY, DAY])
def test_zero_is_a_same_day_limit_moved_off_a_rest_day(unit):
    assert clock.add(date(2026, 3, 4), 0, unit, SCHEDULE) == date(2026, 3, 4)
    why = clock.explain(date(2026, 3, 8), 0, unit, SCHEDULE)  # a Sunday
    assert (why.due, why.counted, why.moved) == (date(2026, 3, 9), (), clock.Move(date(2026, 3, 8), "weekend"))


def test_a_deadline_crossing_into_a_provisional_year_says_so():
    assert clock.explain(date(2026, 12, 30), 1, WORKDAY, SCHEDULE).provisional is False
    why = clock.explain(date(2026, 12, 31), 1, WORKDAY, SCHEDULE)
    assert why.due == date(2027, 1, 4)  # 1 Jan 2027 元旦 (Friday), then the weekend
    assert why.provisional is True


def test_explanation_json_has_the_issue_keys_and_iso_dates():
    data = clock.explain(date(2026, 3, 5), 3, DAY, SCHEDULE).as_json()
    assert data == {
        "start": "2026-03-05",
        "unit": "day",
        "limit": 3,
        "due": "2026-03-09",
        "provisional": False,
        "counted": ["2026-03-06", "2026-03-07", "2026-03-08"],
        "skipped": [{"date": "2026-03-08", "reason": "weekend"}],
        "moved": {"from": "2026-03-08", "reason": "weekend"},
    }


# -- Refusals ---------------------------------------------------------------------------------


def test_a_start_outside_the_schedule_names_start():
    with pytest.raises(clock.OutOfRange) as caught:
        clock.add(date(2003, 12, 31), 1, WORKDAY, SCHEDULE)
    assert caught.value.field == "start" and str(caught.value).startswith("start: 2003-12-31")


@pytest.mark.parametrize("unit", [WORKDAY, DAY])
def test_a_due_date_past_the_schedule_names_the_limit(unit):
    with pytest.raises(clock.OutOfRange) as caught:
        clock.add(date(2031, 12, 20), 30, unit, SCHEDULE)
    assert caught.value.field == "n"


def test_negative_limits_unknown_units_and_reversed_ranges_are_refused():
    with pytest.raises(clock.InvalidLimit, match="^n: "):
        clock.add(date(2026, 1, 5), -1, WORKDAY, SCHEDULE)
    with pytest.raises(clock.InvalidLimit, match="^unit: "):
        clock.add(date(2026, 1, 5), 1, "week", SCHEDULE)
    with pytest.raises(clock.InvalidLimit, match="^end: "):
        clock.count(date(2026, 1, 5), date(2026, 1, 4), SCHEDULE)


def test_add_many_names_the_first_bad_element():
    with pytest.raises(clock.OutOfRange, match="^start: element 1: 2040-01-01"):
        clock.add_many(["2026-01-05", "2040-01-01"], [1, 1], WORKDAY, SCHEDULE)
    with pytest.raises(clock.OutOfRange, match="^n: element 0: "):
        clock.add_many(["2031-12-20", "2026-01-05"], [30, 1], ["day", "workday"], SCHEDULE)
    with pytest.raises(clock.InvalidLimit, match="^n: element 1: "):
        clock.add_many(["2026-01-05", "2026-01-05"], [1, -2], WORKDAY, SCHEDULE)
    with pytest.raises(clock.InvalidLimit, match="^unit: element 1: .*got 'week'"):
        clock.add_many(["2026-01-05", "2026-01-05"], [1, 2], ["day", "week"], SCHEDULE)


def test_a_schedule_refuses_contradictory_days():
    with pytest.raises(ValueError, match="both as a holiday and as a make-up"):
        clock.Schedule(2026, 2026, {date(2026, 10, 10): "国庆节"}, {date(2026, 10, 10): "国庆节（调休上班）"})
    with pytest.raises(ValueError, match="not a Saturday or Sunday"):
        clock.Schedule(2026, 2026, {}, {date(2026, 10, 9): "国庆节（调休上班）"})
