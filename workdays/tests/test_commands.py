"""The operator commands: `getpower deadline`, `getpower workdays count`, `getpower calendar ...`."""
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from workdays.models import CalendarYear
from workdays.official import official_days

GETPOWER = Path(sys.executable).with_name("getpower")


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


pytestmark = pytest.mark.usefixtures("official_calendar")


def test_deadline_prints_the_due_date_alone():
    assert run("deadline", "--start", "2026-09-29", "--workdays", "5") == "2026-10-12\n"
    assert run("deadline", "--start", "2026-03-05", "--days", "3") == "2026-03-09\n"


def test_deadline_json_explains_the_move():
    data = json.loads(run("deadline", "--start", "2026-03-05", "--days", "3", "--json"))
    assert set(data) == {"start", "unit", "limit", "due", "provisional", "counted", "skipped", "moved"}
    assert data["due"] == "2026-03-09"
    assert data["moved"] == {"from": "2026-03-08", "reason": "weekend"}


def test_deadline_outside_the_calendar_is_exit_2_naming_start():
    with pytest.raises(CommandError) as caught:
        run("deadline", "--start", "1999-01-01", "--workdays", "5")
    assert caught.value.returncode == 2
    assert str(caught.value).startswith("start: 1999-01-01")


def test_workdays_count_prints_the_number():
    # September 2026 after the 1st: 21 working days + 调休 Sun 20 Sep; October: 1–7 off, Sat 10th worked.
    assert run("workdays", "count", "--from", "2026-09-01", "--to", "2026-10-31") == "39\n"
    with pytest.raises(CommandError, match="^to: ") as caught:
        run("workdays", "count", "--from", "2026-09-01", "--to", "2026-08-31")
    assert caught.value.returncode == 2


def test_calendar_show_json_for_official_and_provisional_years():
    official = json.loads(run("calendar_schedule", "show", "2026", "--json"))
    assert set(official) == {"year", "source", "holidays", "workdays"}
    assert official["source"] == "official"
    assert {"date": "2026-10-10", "name": "国庆节（调休上班）"} in official["workdays"]
    assert {"date": "2026-10-01", "name": "国庆节"} in official["holidays"]
    provisional = json.loads(run("calendar_schedule", "show", "2027", "--json"))
    assert provisional["source"] == "provisional" and provisional["workdays"] == []
    assert {"date": "2027-02-05", "name": "春节"} in provisional["holidays"]


def test_calendar_show_plain_and_a_year_outside_the_calendar():
    assert "source: provisional" in run("calendar_schedule", "show", "2027")
    with pytest.raises(CommandError, match="^year: 2050 is outside") as caught:
        run("calendar_schedule", "show", "2050")
    assert caught.value.returncode == 2


def test_calendar_import_from_a_file_and_its_refusals(tmp_path):
    good = tmp_path / "2027.csv"
    good.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-20,workday,春节（调休上班）\n", encoding="utf-8")
    assert run("calendar_schedule", "import", str(good)).startswith("2027: provisional → imported, 2 days")
    assert CalendarYear.objects.get(year=2027).source == "imported"

    bad = tmp_path / "bad.csv"
    bad.write_text("2028-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: duplicate date 2028-01-01 \\(first on line 1\\)") as caught:
        run("calendar_schedule", "import", str(bad))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="^FILE: no such file") as caught:
        run("calendar_schedule", "import", str(tmp_path / "missing.csv"))
    assert caught.value.returncode == 2

    official = tmp_path / "2026.csv"
    official.write_text("2026-10-01,holiday,国庆节\n", encoding="utf-8")
    with pytest.raises(CommandError, match="replace-official"):
        run("calendar_schedule", "import", str(official))
    assert "official → imported" in run("calendar_schedule", "import", str(official), "--replace-official")


def test_calendar_sync_again_changes_nothing():
    official = official_days()
    years = official.last_year - official.first_year + 1
    assert run("calendar_schedule", "sync") == (
        f"official years {official.first_year}–{official.last_year}: 0 loaded, 0 kept as imported, {years} unchanged\n"
    )


ARGUMENT_ERRORS = [
    (["deadline", "--start", "2026-13-01", "--workdays", "5"], "argument --start"),
    (["deadline", "--start", "20261001", "--workdays", "5"], "argument --start"),
    (["deadline", "--start", "2026-10-01", "--workdays", "-1"], "argument --workdays"),
    (["deadline", "--start", "2026-10-01", "--days", "x"], "argument --days"),
    (["deadline", "--start", "2026-10-01", "--workdays", "1", "--days", "1"], "argument --days"),
    (["deadline", "--start", "2026-10-01"], "--workdays"),
    (["workdays", "count", "--from", "2026-10-01", "--to", "tomorrow"], "argument --to"),
    (["calendar_schedule", "show", "20x7"], "argument YEAR"),
    (["calendar_schedule", "import", "/nonexistent/2027.csv"], "FILE"),
]


@pytest.mark.parametrize("args, named", ARGUMENT_ERRORS)
def test_bad_arguments_are_a_command_error_naming_the_argument(args, named):
    """In process: the same parser and checks the console script runs, without a process each."""
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=StringIO())
    assert named in str(caught.value)


def test_the_console_script_exits_2_with_an_error_line_naming_the_argument(tmp_path):
    env = {**os.environ, "GETPOWER_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run([str(GETPOWER), "deadline", "--start", "2026-13-01", "--workdays", "5"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "argument --start" in proc.stderr.strip().splitlines()[-1]
    assert proc.stdout == ""
