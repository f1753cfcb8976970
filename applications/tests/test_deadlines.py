"""applications.deadlines is pure: plain dates and a schedule in, dates out, no database.
Property tests against the day-by-day reference of the workdays tests."""
import ast
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from applications import deadlines
from workdays.clock import DAY, WORKDAY
from workdays.tests.schedules import SCHEDULE, ref_add, ref_count

# A year inside the schedule on either side, so every drawn date and span stays in it.
starts = st.dates(min_value=date(2005, 2, 1), max_value=date(2029, 12, 31))
PROPERTY = settings(max_examples=300, deadline=None)


def test_the_module_imports_no_django():
    tree = ast.parse(Path(deadlines.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not [name for name in imported if name.split(".")[0] == "django"]


@PROPERTY
@given(start=starts, limit=st.integers(min_value=1, max_value=120), unit=st.sampled_from([WORKDAY, DAY]),
       paused=st.integers(min_value=0, max_value=40))
def test_a_pause_pushes_the_due_date_by_exactly_its_working_days(start, limit, unit, paused):
    due = deadlines.stage_due(start=start, limit=limit, unit=unit, paused_workdays=paused, schedule=SCHEDULE)
    assert due.base_due == ref_add(start, limit, unit)
    assert due.due_date == (ref_add(due.base_due, paused, WORKDAY) if paused else due.base_due)
    assert deadlines.workdays_between(due.base_due, due.due_date, schedule=SCHEDULE) == paused


@PROPERTY
@given(today=starts, span=st.integers(min_value=-400, max_value=400))
def test_working_days_left_count_the_same_days_either_way(today, span):
    due = today + timedelta(days=span)
    left = deadlines.workdays_left(due, today, schedule=SCHEDULE)
    assert left == (ref_count(today, due) if due >= today else -ref_count(due, today))
    assert deadlines.workdays_left(today, due, schedule=SCHEDULE) == -left


def test_no_limit_means_no_due_date():
    assert deadlines.stage_due(start=date(2026, 9, 29), limit=None, unit=WORKDAY, schedule=SCHEDULE) is None
