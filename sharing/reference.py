"""The reference government data-sharing service: a real local HTTP server answering signed
JSON for a demo data set, so connectors, tests and the demo talk to a live endpoint.

    GET /v1/health                      -> {"ok": true, "public_key": ...}
    GET /v1/<connector>/<key>           -> {"connector", "key", "data", "signature"}  (404 when unknown)

The signature is Ed25519 over the canonical JSON of {"connector", "key", "data"} (sharing.signing).
Run it with `getpower sharing serve-reference`."""
from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sharing import signing

# The demo data set: the people, companies, sites and projects the demo and the tests use.
DATA: dict[str, dict[str, object]] = {
    "id_card": {
        "11010519491231002X": {"name": "王芳", "valid_until": "2036-05-01", "issuer": "北京市公安局西城分局"},
    },
    "business_licence": {
        "91350100M000100Y43": {"name": "台儿庄酒业有限公司", "legal_representative": "李强",
                               "registered_address": "台儿庄区经济开发区兴业路1号", "valid_until": "长期"},
        "91330106MA2H00001E": {"name": "杭州西湖云谷科技有限公司", "legal_representative": "陈静",
                               "registered_address": "西湖区云谷路8号", "valid_until": "长期"},
    },
    "property_certificate": {
        "11010519491231002X": {"certificate_no": "鲁(2024)台儿庄区不动产权第0012345号", "owner": "王芳",
                               "address": "台儿庄区古城路8号", "use": "住宅"},
        "91350100M000100Y43": {"certificate_no": "鲁(2023)台儿庄区不动产权第0003210号", "owner": "台儿庄酒业有限公司",
                               "address": "台儿庄区经济开发区兴业路1号", "use": "工业"},
        "91330106MA2H00001E": {"certificate_no": "浙(2025)杭州市不动产权第0456789号", "owner": "杭州西湖云谷科技有限公司",
                               "address": "西湖区云谷路8号", "use": "工业"},
    },
    "enterprise_registration": {
        "91330106MA2H00001E": {"name": "杭州西湖云谷科技有限公司", "established": "2026-10-12", "size": "小微企业"},
    },
    "investment_project": {
        "2026-330106-65-01-000123": {"name": "云谷数据中心一期", "company": "杭州西湖云谷科技有限公司",
                                     "uscc": "91330106MA2H00001E", "address": "西湖区云谷路8号", "county": "330106",
                                     "capacity_kva": 1600, "voltage_kv": 10, "planned_energising": "2027-06-30"},
    },
    "planning_permit": {
        "2026-330106-65-01-000123": {"permit_no": "建字第330106202600088号", "issued": "2026-11-02"},
    },
    "construction_permit": {
        "2026-330106-65-01-000123": {"permit_no": "330106202611100101", "issued": "2026-11-16"},
    },
    # Feeds by county: new investment projects and newly registered small enterprises (提前介入).
    "project_feed": {
        "330106": [
            {"code": "2026-330106-65-01-000123", "name": "云谷数据中心一期", "company": "杭州西湖云谷科技有限公司",
             "uscc": "91330106MA2H00001E", "address": "西湖区云谷路8号", "capacity_kva": 1600, "voltage_kv": 10,
             "planned_energising": "2027-06-30", "kind": "investment_project"},
            {"code": "2026-330106-39-03-000456", "name": "文三路社区便民超市", "company": "杭州文三便民商贸有限公司",
             "uscc": "91330106MA2H000097", "address": "西湖区文三路121号", "capacity_kva": 60, "voltage_kv": 0.38,
             "planned_energising": "2027-01-15", "kind": "new_enterprise"},
        ],
    },
    "address": {
        "西湖区云谷路8号": {"province": "浙江省", "city": "杭州市", "county": "西湖区", "street": "云谷路", "number": "8号"},
    },
}


def answer(connector: str, key: str, *, seed: str) -> dict | None:
    data = DATA.get(connector, {}).get(key)
    if data is None:
        return None
    body = {"connector": connector, "key": key, "data": data}
    return {**body, "signature": signing.sign(body, seed=seed)}


class Handler(BaseHTTPRequestHandler):
    seed = ""
    hits = 0  # answered requests (tests count them: a cached fetch makes none)

    def do_GET(self):  # noqa: N802 (http.server's name)
        parts = [urllib.parse.unquote(p) for p in self.path.split("?")[0].split("/") if p]
        if parts == ["v1", "health"]:
            return self._send(200, {"ok": True, "public_key": signing.public_key_b64(self.seed)})
        if len(parts) != 3 or parts[0] != "v1":
            return self._send(404, {"error": "unknown path"})
        type(self).hits += 1
        found = answer(parts[1], parts[2], seed=self.seed)
        if found is None:
            return self._send(404, {"error": f"no {parts[1]} for this key"})
        return self._send(200, found)

    def _send(self, status: int, body: dict) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass


def make_server(host: str, port: int, *, seed: str) -> ThreadingHTTPServer:
    handler = type("ReferenceHandler", (Handler,), {"seed": seed, "hits": 0})
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(host: str, port: int, *, seed: str) -> ThreadingHTTPServer:
    server = make_server(host, port, seed=seed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
