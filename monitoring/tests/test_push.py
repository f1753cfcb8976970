"""无感监测: a regulator's system registered by an admin receives every new and corrected
indicator as a signed webhook, retried until it answers; and reads the receiving-works
market feed (designer, builder, supplier, fees) for its own jurisdiction only."""
import hashlib
import hmac
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from accounts import actions as accounts
from accounts.roles import Role
from applications import actions as app_actions
from applications.tests.conftest import PASSWORD, at
from core import outbox
from core.models import Event, OutboxMessage
from monitoring.actions import snapshots_take
from monitoring.models import RegulatorEndpoint
from monitoring.tests.test_indicators import lv_home

pytestmark = pytest.mark.django_db


class Receiver:
    """The regulator's end: checks the signature against the shared secret before accepting."""

    def __init__(self) -> None:
        self.accepted: list[dict] = []
        self.refused = 0
        self.fail_next = 0  # answer 503 this many times first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(settings.WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("X-Getpower-Signature", "")):
                    receiver.refused += 1
                    self.send_response(401)
                elif receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                else:
                    message = json.loads(body)
                    receiver.accepted.append({**message, "data": json.loads(message["text"]),
                                              "key": self.headers["Idempotency-Key"]})
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/getpower"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def admin(zz):
    return accounts.user_create(username="tez_admin", password=PASSWORD, role=Role.ADMIN, organisation=zz.org)


def test_an_admin_registers_an_endpoint_and_bad_input_names_the_argument(zz, admin, capsys):
    call_command("endpoints", "register", "--name", "山东能源监管办监管平台", "--url", "https://jg.example.cn/hook",
                 "--region", "zaozhuang", "--by", admin.username)
    endpoint = RegulatorEndpoint.objects.get()
    assert (endpoint.region, endpoint.active, endpoint.registered_by) == ("zaozhuang", True, admin)
    cases = [(["--url", "ftp://x", "--by", admin.username], "--url"),
             (["--url", "https://jg.example.cn/hook", "--region", "atlantis", "--by", admin.username], "--region"),
             (["--url", "https://b.example.cn/", "--by", "nobody"], "--by"),
             (["--url", "https://jg.example.cn/hook", "--region", "zaozhuang", "--by", admin.username], "--url")]
    for args, option in cases:
        with pytest.raises(CommandError) as caught:
            call_command("endpoints", "register", "--name", "平台", *args)
        assert caught.value.returncode == 2 and str(caught.value).startswith(option)
    with pytest.raises(CommandError) as caught:  # a supervisor may not register one
        call_command("endpoints", "register", "--name", "平台", "--url", "https://c.example.cn/", "--by",
                     zz.supervisor.username)
    assert caught.value.returncode == 2
    call_command("endpoints", "retire", "--id", str(endpoint.pk), "--by", admin.username)
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.retired_at is not None


def test_new_and_corrected_indicators_reach_the_regulator_signed_and_retried(zz, admin, travel, receiver):
    lv_home(zz, travel, submitted=at(2026, 9, 29, 9), completed=at(2026, 10, 8, 11))
    travel(at(2026, 11, 2, 9))
    call_command("endpoints", "register", "--name", "山东能源监管办监管平台", "--url", receiver.url, "--region",
                 "zaozhuang", "--by", admin.username)
    receiver.fail_next = 1  # the regulator's system is down for the first attempt
    first = snapshots_take(region="zaozhuang", period="2026-10")
    assert outbox.deliver_due().failed == 1  # one part refused, the others accepted
    outbox.retry(by="cli:outbox")
    assert outbox.deliver_due().failed == 0
    parts = sorted(receiver.accepted, key=lambda m: m["data"]["part"])
    assert parts and receiver.refused == 0
    assert {m["data"]["parts"] for m in parts} == {len(parts)} and all(m["event"] == "指标变化推送" for m in parts)
    changes = [c for m in parts for c in m["data"]["changes"]]
    assert len(changes) == first.stored and {c["change"] for c in changes} == {"new"}
    within = next(c for c in changes if c["code"] == "grid_side_within_share" and c["dimension"] == "lv_residential")
    assert (within["value"], within["status"], parts[0]["data"]["period"]) == (100.0, "met", "2026-10")

    # Nothing changed: nothing is pushed.
    snapshots_take(region="zaozhuang", period="2026-10")
    outbox.deliver_due()
    assert len(receiver.accepted) == len(parts)

    # A late case corrects October: the correction is pushed with the value it replaces.
    lv_home(zz, travel, submitted=at(2026, 10, 9, 9), completed=at(2026, 10, 20, 11), name="李强")
    travel(at(2026, 11, 3, 9))
    snapshots_take(region="zaozhuang", period="2026-10")
    outbox.deliver_due()
    corrected = [c for m in receiver.accepted[len(parts):] for c in m["data"]["changes"] if c["change"] == "corrected"]
    within = next(c for c in corrected if c["code"] == "grid_side_within_share" and c["dimension"] == "lv_residential")
    assert (within["before"], within["value"], within["status"]) == (100.0, 50.0, "missed")
    # Every delivery was one message once: keys never repeat at the receiver.
    keys = [m["key"] for m in receiver.accepted]
    assert len(keys) == len(set(keys)) == OutboxMessage.objects.filter(kind="indicators_changed").count()


def test_a_tampered_body_is_refused_by_the_receiver(receiver):
    import urllib.error
    import urllib.request

    body = json.dumps({"id": "x", "event": "指标变化推送", "text": "{}"}).encode()
    request = urllib.request.Request(receiver.url, data=body, method="POST",
                                     headers={"X-Getpower-Signature": "sha256=" + "0" * 64})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 401 and receiver.refused == 1


@pytest.fixture
def chosen(zz, zj, travel):
    """A 台儿庄 enterprise that chose its own designer and builder and paid one approved fee,
    and a 西湖 application the Zaozhuang regulator must not see."""
    from applications.tests.conftest import enterprise

    travel(at(2026, 10, 9, 9))
    data = app_actions.ApplicationInput(**{**enterprise(county=zz.county.code, enterprise_size="large"),
                                           "voltage_kv": Decimal("10"), "capacity_kva": Decimal("800")})
    application, _ = app_actions.application_create(by=zz.applicant, data=data)
    app_actions.contractor_choose(application=application, by=zz.applicant, role="designer", name="枣庄电力设计院有限公司")
    app_actions.contractor_choose(application=application, by=zz.applicant, role="builder", name="运河电力安装有限公司",
                                  uscc="91350100M000100Y43")
    elsewhere = app_actions.ApplicationInput(**enterprise(county=zj.county.code, site_address="西湖区文三路1号",
                                                          applicant_name="西湖茶业有限公司"))
    app_actions.application_create(by=zj.applicant, data=elsewhere)
    regulator = accounts.user_create(username="sd_regulator", password=PASSWORD, role=Role.REGULATOR,
                                     organisation=accounts.organisation_create(
                                         code="sd-reg", name="山东能源监管办", kind="regulator", division=zz.county.parent))
    return application, regulator


def test_the_market_feed_shows_the_customers_choices_within_the_jurisdiction(chosen, zz):
    application, regulator = chosen
    client = Client()
    assert client.get("/api/v1/supervision/applications/").status_code == 401
    client.force_login(regulator)
    page = client.get("/api/v1/supervision/applications/", {"page_size": 10}).json()
    assert page["count"] == 1 and [r["number"] for r in page["results"]] == [application.number]
    found = page["results"][0]
    assert {(c["role"], c["name"]) for c in found["contractors"]} == {
        ("designer", "枣庄电力设计院有限公司"), ("builder", "运河电力安装有限公司")}
    assert found["enterprise_size"] == "large" and found["applicant_name"] == "台儿庄酒业有限公司"
    too_big = client.get("/api/v1/supervision/applications/", {"page_size": 201})
    assert too_big.status_code == 422 and "page_size" in too_big.json()["error"]["fields"]
    assert client.get("/api/v1/supervision/applications/", {"region": "atlantis"}).status_code == 422
    applicant = Client()
    applicant.force_login(zz.applicant)
    assert applicant.get("/api/v1/supervision/applications/").status_code == 403


def test_the_feed_is_documented_in_the_openapi_schema(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/supervision/applications/"]["get"]
    assert "designer" in operation["description"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["page_size"]["schema"]["maximum"] == 200 and params["page_size"].get("description")


def test_the_endpoint_page_lists_registers_and_retires_through_the_actions(zz, admin):
    from django.test import Client

    client = Client()
    client.force_login(admin)
    page = client.get("/monitor/endpoints/")
    assert page.status_code == 200 and "还没有登记监管接收系统" in page.content.decode()
    link = 'href="/monitor/endpoints/"'
    assert link in client.get("/monitor/").content.decode()  # the monitor menu leads admins here
    supervisor = Client()
    supervisor.force_login(zz.supervisor)
    assert link not in supervisor.get("/monitor/").content.decode()
    bad = client.post("/monitor/endpoints/", {"name": "浙江能源监管办", "url": "ftp://jg.example.cn/hook", "region": ""})
    assert bad.status_code == 400 and "以 https:// 开头的接收地址" in bad.content.decode()
    too_long = client.post("/monitor/endpoints/", {"name": "监" * 500, "url": "https://jg.example.cn/hook", "region": ""})
    assert too_long.status_code == 400 and not RegulatorEndpoint.objects.exists()
    made = client.post("/monitor/endpoints/", {"name": "山东能源监管办", "url": "https://jg.example.cn/hook",
                                               "region": "zaozhuang"})
    assert made.status_code == 302
    endpoint = RegulatorEndpoint.objects.get()
    assert (endpoint.region, endpoint.registered_by, endpoint.active) == ("zaozhuang", admin, True)
    again = client.post("/monitor/endpoints/", {"name": "重复", "url": "https://jg.example.cn/hook", "region": "zaozhuang"})
    assert again.status_code == 400 and "该地址已登记" in again.content.decode()
    listed = client.get("/monitor/endpoints/").content.decode()
    assert "山东能源监管办" in listed and "枣庄" in listed and "推送中" in listed and "<td>zaozhuang<" not in listed
    assert "确定停用吗" in listed
    assert client.post(f"/monitor/endpoints/{endpoint.pk}/retire/").status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.active and "已停用" in client.get("/monitor/endpoints/").content.decode()
    assert Event.objects.filter(verb__in=["endpoint.registered", "endpoint.retired"]).count() == 2
    supervisor = Client()
    supervisor.force_login(zz.supervisor)
    assert supervisor.get("/monitor/endpoints/").status_code == 403
