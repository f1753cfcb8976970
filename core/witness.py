"""A small HTTP witness: another host keeps the anchors of a getpower log, append-only.

    POST /anchors   {"seq", "hash", "at", "anchored_at", "signature"}  -> 201
    GET  /anchors   {"anchors": [...]}                                 -> 200

It refuses an anchor whose seq is lower than the last one it holds (a rewound log trying to
re-anchor itself), and never rewrites its file. Plain standard library: it is meant to run
where getpower does not, with nothing but Python.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from core.anchors import Anchor, FileStore

MAX_BODY = 4096


def make_server(*, host: str, port: int, path: str | Path) -> ThreadingHTTPServer:
    kept = FileStore(path)
    lock = threading.Lock()

    class Witness(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path.rstrip("/") != "/anchors":
                return self._answer(404, {"error": "no such resource"})
            with lock:
                self._answer(200, {"anchors": [a.as_dict() for a in kept.all()]})

        def do_POST(self):
            if self.path.rstrip("/") != "/anchors":
                return self._answer(404, {"error": "no such resource"})
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_BODY:
                return self._answer(413, {"error": f"an anchor is 1 to {MAX_BODY} bytes"})
            try:
                anchor = Anchor.from_dict(json.loads(self.rfile.read(length)))
            except (ValueError, KeyError, TypeError) as exc:
                return self._answer(400, {"error": f"not an anchor: {exc}"})
            with lock:
                held = kept.all()
                if held and anchor.seq < held[-1].seq:
                    return self._answer(409, {"error": f"seq {anchor.seq} is behind the last anchor #{held[-1].seq}"})
                kept.append(anchor)
            self._answer(201, {"stored": anchor.seq})

        def log_message(self, format, *args):  # quiet: the file is the record
            pass

    return ThreadingHTTPServer((host, port), Witness)
