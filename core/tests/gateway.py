"""A local SMS gateway for tests: a real HTTP server that counts every request and, like real
gateways, sends one SMS per Idempotency-Key however often the same key is posted."""
from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SmsGateway:
    def __init__(self) -> None:
        self.requests: list[dict] = []  # every POST, repeats included
        self.delivered: dict[str, dict] = {}  # key → the one SMS it produced
        self.fail_with: int | None = None  # answer this HTTP status instead of accepting
        self.hold = threading.Event()  # while cleared, accepted requests wait before answering
        self.hold.set()
        self.accepted = threading.Event()  # set when the first SMS is accepted
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key", "")
                with gateway.lock:
                    gateway.requests.append({"key": key, **body})
                    failing = gateway.fail_with
                    if failing is None and key not in gateway.delivered:
                        gateway.delivered[key] = body
                if failing is not None:
                    self.send_response(failing)
                    self.end_headers()
                    return
                gateway.accepted.set()
                # Accepted (the SMS is out) but the answer can be held back: the sender's
                # "between send and mark" moment, kept open for as long as a test needs.
                gateway.hold.wait(timeout=30)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def repeats(self) -> dict[str, int]:
        return {k: n for k, n in Counter(r["key"] for r in self.requests).items() if n > 1}

    def __enter__(self) -> SmsGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()
