"""Connectors against the real reference service over HTTP: verify, cache, log; the service down,
retried, then up; 四免 / 一证通办 in the portal; 提前介入 prospects to a pre-filled application."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from applications.models import Application
from applications.tests.conftest import at, enterprise, person, policies, travel  # noqa: F401 (fixtures)
from applications.tests.test_flows import as_user, post
from approvals.tests.test_cases import accepted, zj, zz  # noqa: F401 (fixtures)
from core.errors import Conflict, NotFound
from sharing import actions, reference
from sharing.models import AccessLog, Prospect, SharedDocument, SharedRecord

pytestmark = pytest.mark.django_db
USCC = "91350100M000100Y43"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def source(settings):
    """The reference service on a free port, and the connectors pointed at it."""
    port = free_port()
    server = reference.serve_in_thread("127.0.0.1", port, seed=settings.SHARING_SIGNING_SEED)
    settings.SHARING_URL = f"http://127.0.0.1:{port}"
    settings.SHARING_BACKOFF_SECONDS = 0.01
    yield server
    server.shutdown()
    server.server_close()


def test_fetch_verifies_caches_and_logs(source, zz):
    first = actions.shared_fetch(connector="business_licence", key=USCC, by=zz.account_manager, purpose="核验营业执照")
    assert first.data["name"] == "台儿庄酒业有限公司" and not first.from_cache
    again = actions.shared_fetch(connector="business_licence", key=USCC, by=zz.account_manager, purpose="再次核验")
    assert again.from_cache and again.data == first.data
    assert source.RequestHandlerClass.hits == 1  # the second answer came from the cache
    assert SharedRecord.objects.count() == 1
    assert list(AccessLog.objects.order_by("pk").values_list("outcome", "purpose")) == [
        ("fetched", "核验营业执照"), ("cached", "再次核验")]


def test_personal_data_is_encrypted_at_rest_and_every_access_is_logged(source, zz):
    key = "11010519491231002X"
    shared = actions.shared_fetch(connector="property_certificate", key=key, by=zz.account_manager, purpose="一证通办")
    assert shared.data["owner"] == "王芳"
    record = SharedRecord.objects.get()
    assert "王芳" not in record.data_enc and key not in record.key_digest
    log = AccessLog.objects.get()
    assert log.personal and log.user == zz.account_manager and log.purpose == "一证通办"
    with pytest.raises(Exception) as caught:
        actions.shared_fetch(connector="property_certificate", key=key, by=zz.account_manager, purpose=" ")
    assert "purpose" in caught.value.fields


def test_down_then_retried_then_succeeds_without_a_duplicate(settings, zz):
    port = free_port()
    settings.SHARING_URL = f"http://127.0.0.1:{port}"
    settings.SHARING_RETRIES = 3
    started = []

    def backoff(seconds):
        # The service comes up while the connector waits after its first refused attempt.
        if not started:
            started.append(reference.serve_in_thread("127.0.0.1", port, seed=settings.SHARING_SIGNING_SEED))

    shared = actions.shared_fetch(connector="business_licence", key=USCC, by=None, purpose="受理核验", sleep=backoff)
    assert shared.data["name"] == "台儿庄酒业有限公司"
    log = AccessLog.objects.get()
    assert (log.outcome, log.attempts) == ("fetched", 2)
    actions.shared_fetch(connector="business_licence", key=USCC, by=None, purpose="受理核验", sleep=backoff)
    assert SharedRecord.objects.count() == 1
    assert started[0].RequestHandlerClass.hits == 1
    started[0].shutdown()
    started[0].server_close()


def test_down_for_good_is_a_clear_error_and_nothing_is_stored(settings, zz):
    settings.SHARING_URL = f"http://127.0.0.1:{free_port()}"
    settings.SHARING_RETRIES = 2
    waits = []
    with pytest.raises(actions.SharingUnavailable) as caught:
        actions.shared_fetch(connector="business_licence", key=USCC, by=None, purpose="受理核验", sleep=waits.append)
    assert "可以先上传材料" in caught.value.message and caught.value.status == 503
    assert waits == [settings.SHARING_BACKOFF_SECONDS, settings.SHARING_BACKOFF_SECONDS * 2]
    assert (AccessLog.objects.get().outcome, AccessLog.objects.get().attempts) == ("unavailable", 3)
    assert not SharedRecord.objects.exists()


def test_a_forged_answer_is_refused(settings, zz):
    port = free_port()
    forger = reference.serve_in_thread("127.0.0.1", port, seed="someone-else")
    settings.SHARING_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(actions.BadSignature):
        actions.shared_fetch(connector="business_licence", key=USCC, by=None, purpose="受理核验")
    assert not SharedRecord.objects.exists() and AccessLog.objects.get().outcome == "bad_signature"
    forger.shutdown()
    forger.server_close()


def test_unknown_key_is_not_found(source):
    with pytest.raises(NotFound):
        actions.shared_fetch(connector="business_licence", key="91110000000000000X", by=None, purpose="核验")


def test_one_certificate_the_portal_shows_where_documents_came_from(source, zz, travel):
    travel(at(2026, 11, 23, 9))
    applicant = as_user(zz.applicant)
    created = post(applicant, "/api/v1/applications/", person(county=zz.county.code, site_address="台儿庄区古城路8号"))
    application = Application.objects.get(pk=created.json()["id"])
    assert application.policy_version is None  # still at acceptance: its documents are being asked
    response = applicant.post(f"/sharing/applications/{application.pk}/share/")
    assert response.status_code == 302
    held = dict(SharedDocument.objects.filter(application=application).values_list("doc_type", "connector"))
    from applications import rules

    policy_list = rules.version_in_force("zaozhuang", at(2026, 11, 23).date()).policy().documents.sharing.documents
    assert set(held) == set(policy_list) & {"applicant_id", "property_certificate"}
    assert held["property_certificate"] == "property_certificate"
    page = applicant.get(f"/me/applications/{application.pk}/").content.decode()
    assert "由数据共享获取，免提交" in page and "不动产登记平台" in page
    # Asking again changes nothing and fetches nothing new.
    applicant.post(f"/sharing/applications/{application.pk}/share/")
    assert SharedDocument.objects.filter(application=application).count() == len(held)


def test_prospects_from_the_feed_become_a_prefilled_application(source, zj):
    imported = actions.prospects_import(county=zj.county, by=zj.account_manager)
    assert {p.code for p in imported} == {"2026-330106-65-01-000123", "2026-330106-39-03-000456"}
    assert actions.prospects_import(county=zj.county, by=zj.account_manager) == []  # once each
    staff = as_user(zj.account_manager)
    page = staff.get("/sharing/prospects/").content.decode()
    assert "云谷数据中心一期" in page and "转为用电申请" in page
    prospect = Prospect.objects.get(code="2026-330106-65-01-000123")
    response = staff.post(f"/sharing/prospects/{prospect.pk}/convert/")
    prospect.refresh_from_db()
    application = prospect.application
    assert response.status_code == 302 and response["Location"] == f"/work/applications/{application.pk}/"
    assert (application.applicant_name, application.site_address, application.uscc) == (
        "杭州西湖云谷科技有限公司", "西湖区云谷路8号", "91330106MA2H00001E")
    assert application.capacity_kva == 1600 and application.voltage_kv == 10
    assert staff.post(f"/sharing/prospects/{prospect.pk}/convert/").status_code == 302
    assert Application.objects.filter(uscc="91330106MA2H00001E").count() == 1


def test_serve_reference_command_runs_a_real_service(tmp_path):
    port = free_port()
    getpower = Path(sys.executable).with_name("getpower")
    env = {**os.environ, "GETPOWER_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen([str(getpower), "sharing", "serve-reference", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/business_licence/{USCC}", timeout=1) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert body["data"]["name"] == "台儿庄酒业有限公司" and body["signature"]
    finally:
        process.terminate()
        process.wait(timeout=10)


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        type(self).received.append((self.path, self.headers.get("X-Getpower-Signature"), json.loads(self.rfile.read(length))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_joint_application_is_forwarded_by_webhook_once_with_its_status_shown(zj, travel, settings,
                                                                              django_capture_on_commit_callbacks):
    port = free_port()
    receiver = ThreadingHTTPServer(("127.0.0.1", port), type("R", (Receiver,), {"received": []}))
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    settings.JOINT_UTILITY_ENDPOINTS = {"water": f"http://127.0.0.1:{port}/water", "gas": f"http://127.0.0.1:{port}/gas",
                                        "heating": ""}
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路400号"))
    staff = as_user(zj.account_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/sharing/applications/{application.pk}/joint/", {"utilities": ["water", "gas"]})
    assert response.status_code == 302
    got = receiver.RequestHandlerClass.received
    assert sorted(path for path, _, _ in got) == ["/gas", "/water"]
    assert all(signature.startswith("sha256=") for _, signature, _ in got)
    assert json.loads(got[0][2]["text"])["application"] == application.number
    with django_capture_on_commit_callbacks(execute=True):
        actions.joint_forward(application=application, by=zj.account_manager, utilities=["water"])
    assert len(got) == 2  # once per company
    with pytest.raises(Conflict):
        actions.joint_forward(application=application, by=zj.account_manager, utilities=["heating"])
    page = as_user(zj.applicant).get(f"/me/applications/{application.pk}/").content.decode()
    assert "水电气暖联办" in page and "供水公司：已发送" in page and "燃气公司：已发送" in page
    receiver.shutdown()
    receiver.server_close()
