"""`getpower serve` runs the web server and the task consumer together; Ctrl-C stops both."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

GETPOWER = str(Path(sys.executable).with_name("getpower"))
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_stops_the_web_server_and_the_task_consumer(tmp_path):
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "getpower.settings_test", "GETPOWER_DATA_DIR": str(tmp_path),
           "GETPOWER_HUEY_IMMEDIATE": "0"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([GETPOWER, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    body = answer.read().decode()
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.3)
        assert body is not None and '"status": "ok"' in body
        kids = children_of(server.pid)
        assert len(kids) == 2  # gunicorn's master and the huey consumer
        # What a terminal does on Ctrl-C: SIGINT to the whole foreground group.
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(timeout=30) == 0
        time.sleep(0.5)
        assert not [pid for pid in kids if alive(pid)]
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_serve_refuses_a_port_out_of_range(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--port"):
        call_command("serve", "--port", "70000")
