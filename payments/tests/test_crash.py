"""A process killed in the middle of a payment leaves it "支付中"; the reconciliation job asks
the provider and completes it (the charge was taken) or releases the fee (it never was)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from payments import actions
from payments.models import Payment

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("crash_payment.py")


def start(getpower_console, *args, **env):
    environment = {**getpower_console.env, "PYTHONPATH": str(REPO), **env}
    return subprocess.Popen([sys.executable, str(SCRIPT), *args], env=environment, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def sql(getpower_console, query):
    import sqlite3

    with sqlite3.connect(getpower_console.data_dir / "getpower.sqlite3") as db:
        return db.execute(query).fetchall()


def wait_for(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def reconcile(getpower_console):
    done = getpower_console("payment", "reconcile", "--older-than-minutes", "0", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def fee_id(getpower_console):
    made = start(getpower_console, "setup")
    out, err = made.communicate(timeout=300)
    assert made.returncode == 0, err
    return out.strip().splitlines()[-1]


def test_killed_after_the_charge_the_payment_is_completed_from_the_provider(getpower_console, fee_id):
    ledger = getpower_console.data_dir / "local-pay-ledger.jsonl"
    paying = start(getpower_console, "pay", fee_id, "tab-1", GETPOWER_LOCAL_PAY_ANSWER_DELAY="60")
    try:
        wait_for(lambda: ledger.exists() and ledger.read_text().strip(), "the provider to take the charge")
        os.kill(paying.pid, signal.SIGKILL)  # the answer never arrives: the process is gone
        paying.wait(timeout=30)
    finally:
        if paying.poll() is None:
            paying.kill()
    assert paying.returncode == -signal.SIGKILL
    assert sql(getpower_console, "SELECT state FROM payments_payment") == [("pending",)]

    assert reconcile(getpower_console) == {"succeeded": 1, "failed": 0, "released": 0, "unknown_provider": 0}
    taken = json.loads(ledger.read_text().splitlines()[0])
    assert sql(getpower_console, "SELECT state, provider_ref FROM payments_payment") == [("succeeded", taken["reference"])]
    assert len(sql(getpower_console, "SELECT number FROM payments_receipt")) == 1
    assert len(sql(getpower_console, "SELECT number FROM payments_invoice")) == 1
    assert reconcile(getpower_console)["succeeded"] == 0  # settled once
    verified = getpower_console("audit", "verify")
    assert verified.returncode == 0, verified.stderr


def test_killed_before_the_charge_the_fee_is_released_and_can_be_paid_again(getpower_console, fee_id):
    paying = start(getpower_console, "pay", fee_id, "tab-1", GETPOWER_LOCAL_PAY_REQUEST_DELAY="60")
    try:
        wait_for(lambda: sql(getpower_console, "SELECT state FROM payments_payment") == [("pending",)],
                 "the payment to be reserved")
        os.kill(paying.pid, signal.SIGKILL)
        paying.wait(timeout=30)
    finally:
        if paying.poll() is None:
            paying.kill()

    assert reconcile(getpower_console)["released"] == 1
    assert sql(getpower_console, "SELECT state FROM payments_payment") == [("failed",)]
    assert sql(getpower_console, "SELECT verb FROM core_event WHERE verb LIKE 'payment.%' ORDER BY seq") == [
        ("payment.started",), ("payment.released",)]
    again = start(getpower_console, "pay", fee_id, "tab-2")  # the applicant tries again
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0 and out.strip() == "completed", err
    assert sorted(sql(getpower_console, "SELECT state FROM payments_payment")) == [("failed",), ("succeeded",)]


def test_a_recent_pending_payment_is_left_to_finish(fee, zz):
    """Inside the timeout a pending payment may still be waiting for its answer: not touched."""
    payment = Payment.objects.create(fee=fee, application=fee.application, payer=zz.applicant, amount=fee.amount,
                                     provider="local", idempotency_key="in-flight",
                                     created_at=timezone.now())
    assert actions.payments_reconcile()["released"] == 0
    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING
