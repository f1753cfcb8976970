"""`getpower serve`: the production web server (gunicorn) and the task consumer (huey) as one
command, so the periodic sweeps run wherever the site runs. Ctrl-C (or SIGTERM) stops both;
if either dies the other is stopped too and the command exits non-zero.

System checks run first (like every command): a server on published keys never starts."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError

# Time each child gets to finish its requests or its task before it is killed.
GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Serve the site with gunicorn and run the huey task consumer; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GETPOWER_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("GETPOWER_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GETPOWER_WORKERS", "2")),
                            help="gunicorn worker processes (default 2)")
        parser.add_argument("--no-tasks", action="store_true",
                            help="web server only (when a separate `getpower worker` runs the tasks)")

    def handle(self, *args, host, port, workers, no_tasks, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port: {port} is not a TCP port (1-65535)")
        if not 1 <= workers <= 64:
            raise CommandError(f"--workers: {workers} is out of range (1-64)")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "getpower.settings")}
        commands = {
            "web": [sys.executable, "-m", "gunicorn", "getpower.wsgi:application", "--bind", f"{host}:{port}",
                    "--workers", str(workers), "--graceful-timeout", str(GRACE_SECONDS),
                    "--access-logfile", "-", "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")],
        }
        if not no_tasks:
            commands["tasks"] = [sys.executable, "-m", "django", "run_huey", "--workers", "1", "--worker-type", "thread"]
        children = {name: subprocess.Popen(command, env=env) for name, command in commands.items()}
        self.stdout.write(f"getpower serving on http://{host}:{port}/ with {workers} workers"
                          + ("" if no_tasks else " and the task consumer") + "; Ctrl-C stops")
        self.stdout.flush()

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            failed = None
            while not stopping and failed is None:
                failed = next((name for name, child in children.items() if child.poll() is not None), None)
                time.sleep(0.2)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._stop(children)
        if failed is not None and not stopping:
            raise CommandError(f"the {failed} process exited with code {children[failed].returncode}; stopped the rest")

    def _stop(self, children: dict[str, subprocess.Popen]) -> None:
        # SIGINT: gunicorn and huey both finish what they are doing, then exit.
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
