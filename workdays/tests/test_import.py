"""Importing a year's State Council schedule: validation naming lines, atomic replacement,
the official years kept safe, and the recompute hooks told which year changed."""
from datetime import date

import pytest

from core.errors import Conflict, InvalidInput
from workdays import clock
from workdays.actions import calendar_import_csv, calendar_sync
from workdays.hooks import DEADLINE_RECOMPUTERS
from workdays.models import CalendarDay, CalendarYear, Source
from workdays.schedule import get_schedule

# A plausible 2027 notice: the provisional 2027 plus a 调休 Saturday and Sunday.
NOTICE_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-20,workday,春节（调休上班）
2027-10-01,holiday,国庆节
2027-10-02,holiday,国庆节
2027-10-03,holiday,国庆节
2027-10-04,holiday,国庆节
2027-10-05,holiday,国庆节
2027-10-06,holiday,国庆节
2027-10-07,holiday,国庆节
2027-09-26,workday,国庆节（调休上班）
"""

pytestmark = pytest.mark.usefixtures("official_calendar")


def test_importing_2027_replaces_the_provisional_year_and_the_clock_sees_it():
    assert clock.explain(date(2027, 2, 19), 1, "workday", get_schedule()).provisional is True
    result = calendar_import_csv(text=NOTICE_2027, note="国办发明电〔2026〕9号")
    assert (result.year, result.previous_source, result.source, result.outcome) == (2027, "provisional", "imported", "created")
    assert CalendarYear.objects.get(year=2027).note == "国办发明电〔2026〕9号"
    schedule = get_schedule()
    why = clock.explain(date(2027, 2, 19), 1, "workday", schedule)
    assert why.due == date(2027, 2, 20)  # the imported 调休 Saturday is worked
    assert why.provisional is False
    assert clock.add(date(2027, 2, 8), 1, "workday", schedule) == date(2027, 2, 12)


def test_every_error_of_a_bad_file_names_its_line_and_nothing_is_stored():
    text = "\n".join(
        [
            "date,kind,name",
            "2027-01-01,holiday,元旦",
            "2027-02-30,holiday,春节",  # line 3: no such day
            "2027-02-06,vacation,春节",  # line 4: unknown kind
            "2027-01-01,holiday,元旦",  # line 5: duplicate of line 2
            "2028-01-01,holiday,元旦",  # line 6: another year
            "2027-02-10,workday,春节（调休上班）",  # line 7: a Wednesday cannot be a make-up workday
            "2027-02-07,holiday,",  # line 8: no name
            "2027-02-08,holiday",  # line 9: two columns
        ]
    )
    with pytest.raises(InvalidInput) as caught:
        calendar_import_csv(text=text)
    assert caught.value.fields.keys() == {"line 3", "line 9"}  # unreadable lines stop before the checks
    assert "2027-02-30" in caught.value.fields["line 3"]

    readable = "\n".join(line for n, line in enumerate(text.splitlines(), 1) if n not in (3, 9))
    with pytest.raises(InvalidInput) as caught:
        calendar_import_csv(text=readable)
    fields = caught.value.fields
    assert set(fields) == {"line 3", "line 4", "line 5", "line 6", "line 7"}  # renumbered without 3 and 9
    assert "vacation" in fields["line 3"]
    assert "first on line 2" in fields["line 4"]
    assert "not in 2027" in fields["line 5"]
    assert "weekday" in fields["line 6"]
    assert "name is empty" in fields["line 7"]
    assert not CalendarYear.objects.filter(year__gte=2027).exists()


def test_an_empty_file_and_a_year_before_the_calendar_are_refused():
    with pytest.raises(InvalidInput, match="no rows"):
        calendar_import_csv(text="date,kind,name\n\n")
    with pytest.raises(InvalidInput, match="line 1: year 2003 is outside"):
        calendar_import_csv(text="2003-10-01,holiday,国庆节\n")


def test_an_official_year_is_not_overwritten_without_replace_official():
    before = list(CalendarDay.objects.filter(year=2026).values_list("date", "kind", "name"))
    text = "2026-10-01,holiday,国庆节\n2026-10-10,workday,国庆节（调休上班）\n"
    with pytest.raises(Conflict) as caught:
        calendar_import_csv(text=text)
    assert "replace-official" in caught.value.fields["year"]
    assert list(CalendarDay.objects.filter(year=2026).values_list("date", "kind", "name")) == before

    result = calendar_import_csv(text=text, replace_official=True)
    assert (result.previous_source, result.source, result.rows) == ("official", "imported", 2)
    assert CalendarYear.objects.get(year=2026).source == Source.IMPORTED


def test_reimporting_replaces_the_rows_and_an_identical_file_changes_nothing():
    calendar_import_csv(text=NOTICE_2027)
    shorter = "2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n"
    result = calendar_import_csv(text=shorter)
    assert (result.previous_source, result.outcome) == ("imported", "replaced")
    assert list(CalendarDay.objects.filter(year=2027).values_list("date", flat=True)) == [date(2027, 1, 1), date(2027, 1, 2)]
    assert calendar_import_csv(text=shorter).outcome == "unchanged"


def test_recompute_hooks_are_called_with_the_year_and_their_counts_returned(monkeypatch):
    calls = []

    def recompute_open_stages(year):
        calls.append((year, get_schedule().is_working(date(2027, 2, 20))))
        return 3

    monkeypatch.setitem(DEADLINE_RECOMPUTERS, "stages", recompute_open_stages)
    result = calendar_import_csv(text=NOTICE_2027)
    # The hook ran once, for 2027, and already saw the imported 调休 Saturday.
    assert calls == [(2027, True)]
    assert result.recomputed["stages"] == 3
    assert result.recomputed.keys() == DEADLINE_RECOMPUTERS.keys()  # every registered app was asked
    assert calendar_import_csv(text=NOTICE_2027).recomputed == {}  # unchanged: nothing to recompute


def test_a_failing_hook_rolls_the_whole_import_back(monkeypatch):
    calendar_import_csv(text=NOTICE_2027)

    def broken(year):
        raise RuntimeError("stage table locked")

    monkeypatch.setitem(DEADLINE_RECOMPUTERS, "broken", broken)
    with pytest.raises(RuntimeError):
        calendar_import_csv(text="2027-01-01,holiday,元旦\n")
    assert CalendarDay.objects.filter(year=2027).count() == NOTICE_2027.count("\n2027")


def test_sync_is_idempotent_and_keeps_an_imported_year():
    assert all(result.outcome == "unchanged" for result in calendar_sync())
    calendar_import_csv(text="2026-10-01,holiday,国庆节\n", replace_official=True)
    outcomes = {result.year: result.outcome for result in calendar_sync()}
    assert outcomes[2026] == "kept_imported"
    assert CalendarYear.objects.get(year=2026).source == Source.IMPORTED
    assert set(outcomes.values()) == {"unchanged", "kept_imported"}


def test_the_cached_schedule_is_reused_until_a_year_changes():
    first = get_schedule()
    assert get_schedule() is first
    calendar_import_csv(text=NOTICE_2027)
    assert get_schedule() is not first
    assert 2027 not in get_schedule().provisional_years
