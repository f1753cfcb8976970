"""A real worker process is killed (SIGKILL) after the SMS gateway accepted a message and before
the worker could mark it sent. The next worker sends it again with the same idempotency key, the
gateway drops the repeat: every message reaches its person exactly once and none is lost."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.tests.gateway import SmsGateway

GETPOWER = str(Path(sys.executable).with_name("getpower"))
MESSAGES = 5


@pytest.fixture
def deployment(tmp_path):
    """A fresh SQLite deployment (the worker is another process, so it cannot see a test transaction)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "getpower.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'getpower.sqlite3'}",
        "GETPOWER_DATA_DIR": str(tmp_path),
        "GETPOWER_NOTIFY_CHANNEL": "sms",
        "GETPOWER_OUTBOX_LEASE_SECONDS": "2",
        "GETPOWER_HUEY_IMMEDIATE": "0",
    }
    subprocess.run([GETPOWER, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
    return env


def getpower(env, *args, check=True):
    result = subprocess.run([GETPOWER, *args], env=env, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(result.stderr)
    return result


def stats(env) -> dict:
    return json.loads(getpower(env, "outbox", "stats", "--json").stdout)


def test_a_worker_killed_between_send_and_mark_sends_nothing_twice_and_loses_nothing(deployment):
    with SmsGateway() as gateway:
        env = {**deployment, "GETPOWER_SMS_URL": gateway.url}
        enqueue = (
            "from django.db import transaction\n"
            "from core import outbox\n"
            f"for n in range({MESSAGES}):\n"
            "    with transaction.atomic():\n"
            "        outbox.enqueue(kind='accepted', text=f'您的用电申请 ZZ{n} 已受理。', key=f'kill:{n}',\n"
            "                       contact={'name': f'客户{n}', 'phone': f'139000000{n:02d}'})\n"
        )
        getpower(env, "shell", "-c", enqueue)
        assert stats(env) == {"pending": MESSAGES, "sent": 0, "failed": 0, "dead": 0}

        # The gateway accepts the first SMS and holds its answer: the worker is between send and mark.
        gateway.hold.clear()
        worker = subprocess.Popen([GETPOWER, "outbox", "deliver", "--loop", "--interval", "0.2"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert gateway.accepted.wait(timeout=60), "the worker never reached the gateway"
            os.kill(worker.pid, signal.SIGKILL)
            assert worker.wait(timeout=10) == -signal.SIGKILL
        finally:
            if worker.poll() is None:
                worker.kill()
        killed_key = gateway.requests[0]["key"]
        assert len(gateway.delivered) == 1
        # Not marked: the row is still pending, so nothing is lost.
        assert stats(env)["sent"] == 0
        gateway.hold.set()

        time.sleep(2.5)  # the dead worker's lease runs out
        second = subprocess.Popen([GETPOWER, "outbox", "deliver", "--loop", "--interval", "0.2"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while stats(env)["sent"] < MESSAGES and time.monotonic() < deadline:
                time.sleep(0.3)
        finally:
            second.terminate()
            second.wait(timeout=10)

        assert stats(env) == {"pending": 0, "sent": MESSAGES, "failed": 0, "dead": 0}
        # Every message reached its phone once; the killed one was posted twice and sent once.
        assert sorted(gateway.delivered) == [f"kill:{n}" for n in range(MESSAGES)]
        assert {body["to"] for body in gateway.delivered.values()} == {f"139000000{n:02d}" for n in range(MESSAGES)}
        assert gateway.repeats() == {killed_key: 2}
        assert len(gateway.requests) == MESSAGES + 1
