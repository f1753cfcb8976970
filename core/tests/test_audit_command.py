"""`getpower audit verify`: what an operator or a monitoring job sees."""
import json
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

GETPOWER = str(Path(sys.executable).with_name("getpower"))


def audit_verify(*args):
    """Run the command in-process; return (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_an_intact_chain_exits_0_with_one_line(history):
    code, out, err = audit_verify()
    last = history.events[-1]
    assert (code, err) == (0, "")
    assert out == f"chain intact: {last.seq} events, head {last.hash[:16]}\n"


def test_a_broken_chain_exits_1_naming_the_first_broken_event(history, attacker):
    paused = history.events[2]
    attacker("UPDATE core_event SET data = %s WHERE seq = %s", ['{"reason": "force_majeure"}', paused.seq])
    code, out, err = audit_verify()
    assert (code, out) == (1, "")
    assert err.startswith(f"chain broken at #{paused.seq} (id {paused.pk}, stage.paused): edited")


def test_json_reports_ok_count_and_first_broken(history, attacker):
    code, out, _ = audit_verify("--json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "events": history.events[-1].seq, "head": history.events[-1].hash,
                               "first_broken": None, "anchors": [], "unexplained": []}

    last = history.events[-1]
    attacker("DELETE FROM core_event WHERE seq = %s", [last.seq])
    code, out, _ = audit_verify("--json")
    report = json.loads(out)
    assert code == 1
    assert (report["ok"], report["events"]) == (False, last.seq - 1)
    assert set(report["first_broken"]) == {"seq", "id", "verb", "problem"}
    assert (report["first_broken"]["seq"], report["first_broken"]["id"]) == (last.seq, None)
    assert report["first_broken"]["problem"].startswith("head mismatch")


def test_audit_without_a_subcommand_is_a_usage_error():
    with pytest.raises(CommandError, match="verify"):
        call_command("audit")


@pytest.fixture
def deployed(getpower_console):
    """A SQLite deployment migrated by the installed console script (a copy of the session's
    prepared database), with the operator's own audit key."""
    env = {**getpower_console.env, "GETPOWER_AUDIT_KEY": "operator-audit-key"}
    return env, getpower_console.data_dir / "getpower.sqlite3"


def getpower(env, *args):
    return subprocess.run([GETPOWER, *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_console_script_verifies_a_real_database_and_catches_an_edit(deployed):
    env, db_file = deployed
    script = (
        "from core import events\n"
        "for verb in ('application.created', 'application.accepted', 'stage.paused'):\n"
        "    events.record(actor='job:demo', verb=verb, subject_type='applications.application', subject_id='1')\n"
    )
    assert getpower(env, "shell", "-c", script).returncode == 0

    intact = getpower(env, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.startswith("chain intact: 3 events, head ")

    wrong_key = getpower({**env, "GETPOWER_AUDIT_KEY": "guessed"}, "audit", "verify", "--json")
    assert wrong_key.returncode == 1
    assert json.loads(wrong_key.stdout)["first_broken"]["seq"] == 1

    # Someone with the database file in hand: the trigger stops a plain UPDATE, not a DROP TRIGGER.
    with sqlite3.connect(db_file) as db:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE core_event SET verb = 'stage.resumed' WHERE seq = 3")
        db.execute("DROP TRIGGER core_event_no_update")
        db.execute("UPDATE core_event SET verb = 'stage.resumed' WHERE seq = 3")
    db.close()

    broken = getpower(env, "audit", "verify")
    assert broken.returncode == 1
    assert "chain broken at #3" in broken.stderr and "stage.resumed" in broken.stderr
    report = json.loads(getpower(env, "audit", "verify", "--json").stdout)
    assert report["ok"] is False and report["events"] == 2
    assert report["first_broken"]["problem"].startswith("edited")
