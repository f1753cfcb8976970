"""Benchmark of the REST API under `getpower serve` (issue 9, serving and set-up).

Application detail and list, on PostgreSQL, served by `getpower serve --workers 4` with a
bearer token (the full stack: middleware, token auth, jurisdiction, schema), against a bare
Django JSON view over the same rows in the same database, served by gunicorn with the same
workers, measured in the same run.

Target: getpower's requests/s ≥ 50 % of the bare view's, per endpoint; p95 latency printed.
Repeated reads are answered from the read cache keyed by the event log's head
(core/readcache.py), as in production; `--cold` turns it off to show what building every
answer costs. Usage: `.venv/bin/python bench/api.py [--database-url URL] [--applications N]
[--seconds S] [--concurrency C] [--cold]` (or `make bench-api`). The database named in the URL is dropped and
re-created: give it one of its own.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET_RATIO = 0.5
WORKERS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def run(env, *args, **kwargs) -> str:
    done = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def wait_until_up(port: int, path: str, headers: dict, process) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server on {port} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers=headers)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"server on {port} did not answer {path}")


def load(port: int, path: str, headers: dict, *, seconds: float, concurrency: int) -> dict:
    """Keep-alive clients hammering one path; requests/s and latency percentiles."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        mine, bad = [], 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                answer = connection.getresponse()
                answer.read()
                if answer.status != 200:
                    bad += 1
            except OSError:
                bad += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies), "errors": errors[0], "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 "postgres://postgres@127.0.0.1:5432/gp_bench_api"))
    parser.add_argument("--applications", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--cold", action="store_true", help="serve without the read cache")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="getpower-bench-api-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GETPOWER_")}
    env.update(DJANGO_SETTINGS_MODULE="getpower.settings", DATABASE_URL=args.database_url, DEBUG="0",
               GETPOWER_DATA_DIR=str(data_dir), GETPOWER_HTTPS="0", ALLOWED_HOSTS="127.0.0.1,localhost",
               CONN_MAX_AGE="60", LOG_LEVEL="WARNING", PYTHONPATH=str(REPO),
               GETPOWER_READ_CACHE="0" if args.cold else "1")
    print(f"database {args.database_url}; {args.applications} applications; {WORKERS} workers; "
          f"{args.concurrency} clients x {args.seconds:.0f} s per endpoint; "
          f"read cache {'off' if args.cold else 'on'}", flush=True)
    recreate_database(args.database_url)
    run(env, str(BIN / "getpower"), "migrate", "--noinput", "-v", "0")
    manager, last_id = run(env, sys.executable, str(REPO / "bench" / "seed_api.py"),
                           str(args.applications)).split()[-2:]
    token = json.loads(run(env, str(BIN / "getpower"), "token", "issue", "--user", manager, "--days", "1",
                           "--name", "bench", "--json"))["token"]

    api_port, bare_port = free_port(), free_port()
    servers = [
        subprocess.Popen([str(BIN / "getpower"), "serve", "--port", str(api_port), "--workers", str(WORKERS),
                          "--no-tasks"], env=env, cwd=REPO, stdout=subprocess.DEVNULL, start_new_session=True),
        subprocess.Popen([sys.executable, "-m", "gunicorn", "django.core.wsgi:get_wsgi_application()",
                          "--bind", f"127.0.0.1:{bare_port}", "--workers", str(WORKERS)],
                         env={**env, "DJANGO_SETTINGS_MODULE": "bench.bare"}, cwd=REPO, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True),
    ]
    auth = {"Authorization": f"Bearer {token}", "Connection": "keep-alive"}
    plain = {"Connection": "keep-alive"}
    cases = [
        ("application detail", api_port, f"/api/v1/applications/{last_id}", auth,
         f"/bare/applications/{last_id}"),
        ("application list (50)", api_port, "/api/v1/applications/", auth, "/bare/applications/"),
    ]
    failed = False
    try:
        wait_until_up(api_port, cases[0][2], auth, servers[0])
        wait_until_up(bare_port, cases[0][4], plain, servers[1])
        print(f"\n{'endpoint':24} {'getpower req/s':>15} {'p95 ms':>8} {'bare req/s':>11} {'p95 ms':>8} "
              f"{'ratio':>6}  target ≥ {TARGET_RATIO:.0%}")
        for name, port, path, headers, bare_path in cases:
            load(port, path, headers, seconds=2, concurrency=args.concurrency)  # warm the workers
            load(bare_port, bare_path, plain, seconds=2, concurrency=args.concurrency)
            ours = load(port, path, headers, seconds=args.seconds, concurrency=args.concurrency)
            bare = load(bare_port, bare_path, plain, seconds=args.seconds, concurrency=args.concurrency)
            ratio = ours["rps"] / bare["rps"]
            verdict = "ok" if ratio >= TARGET_RATIO and not ours["errors"] else "MISSED"
            failed |= verdict != "ok"
            print(f"{name:24} {ours['rps']:15.1f} {ours['p95_ms']:8.1f} {bare['rps']:11.1f} {bare['p95_ms']:8.1f} "
                  f"{ratio:6.2f}  {verdict}" + (f" ({ours['errors']} errors)" if ours["errors"] else ""), flush=True)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGINT)
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
