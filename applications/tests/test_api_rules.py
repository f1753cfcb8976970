"""Permissions, idempotency, the closed document list, 体外循环, the log and the CLI."""
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from accounts import actions as accounts
from accounts.roles import Role
from applications.models import Application
from applications.tests import samples
from applications.tests.conftest import at, enterprise, person
from applications.tests.test_flows import as_user, post
from core import append_only, events
from core.models import ChainHead, Event

pytestmark = pytest.mark.django_db

PDF = samples.PDF


def create(client, county, **overrides):
    response = post(client, "/api/v1/applications/", person(county=county.code, **overrides))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_idempotency_key_returns_the_first_application(zz, travel):
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    body = person(county=zz.county.code)
    first = post(client, "/api/v1/applications/", body, **{"Idempotency-Key": "k-1"})
    again = post(client, "/api/v1/applications/", body, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Application.objects.count() == 1
    other = post(client, "/api/v1/applications/", {**body, "capacity_kva": "9"}, **{"Idempotency-Key": "k-1"})
    assert other.status_code == 400
    assert other.json()["error"]["code"] == "idempotency_mismatch"


def test_bad_input_names_the_field_and_stores_nothing(zz, travel):
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    cases = {
        "id_number": person(county=zz.county.code, id_number="110105194912310021"),
        "uscc": enterprise(county=zz.county.code, uscc="91350100M000100Y44"),
        "area_category": person(county=zz.county.code, area_category="downtown"),
        "capacity_kva": person(county=zz.county.code, capacity_kva="-5"),
        "county": person(county="999999"),
        "channel": person(county=zz.county.code, channel="hall"),  # hall entries are made by staff
    }
    for field, body in cases.items():
        response = post(client, "/api/v1/applications/", body)
        assert response.status_code in (400, 422), (field, response.content)
        assert field in response.json()["error"]["fields"], (field, response.json())
    missing = post(client, "/api/v1/applications/", {"county": zz.county.code})
    assert missing.status_code == 422
    assert "site_address" in missing.json()["error"]["fields"]
    assert Application.objects.count() == 0


def test_staff_enter_offline_applications_and_the_channel_is_kept(zz, travel):
    travel(at(2026, 11, 23))
    app_id = create(as_user(zz.account_manager), zz.county, channel="hall")
    application = Application.objects.get(pk=app_id)
    assert application.channel == "hall" and application.applicant_user is None
    assert application.account_manager == zz.account_manager


def test_jurisdiction_forbidden_objects_answer_404(zz, zj, travel):
    travel(at(2026, 11, 23))
    app_id = create(as_user(zz.applicant), zz.county)
    stranger = accounts.user_create(username="stranger", password="x-long-password", role=Role.APPLICANT)
    for user in (zj.account_manager, zj.supervisor, stranger):
        response = as_user(user).get(f"/api/v1/applications/{app_id}")
        assert response.status_code == 404, user
        assert response.json()["error"]["code"] == "not_found"
        assert post(as_user(user), f"/api/v1/applications/{app_id}/accept").status_code == 404
    assert as_user(zz.account_manager).get(f"/api/v1/applications/{app_id}").status_code == 200
    # Visible but not the applicant's job: forbidden.
    response = post(as_user(zz.applicant), f"/api/v1/applications/{app_id}/accept")
    assert response.status_code == 403
    assert as_user(zj.account_manager).get("/api/v1/applications/").json()["count"] == 0
    assert as_user(zz.supervisor).get("/api/v1/applications/").json()["count"] == 1


def test_unauthenticated_api_is_refused(zz):
    from django.test import Client

    assert Client().get("/api/v1/applications/").status_code == 401


def test_documents_outside_the_policy_list_are_refused_and_logged(zz, travel):
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    app_id = create(client, zz.county)
    url = f"/api/v1/applications/{app_id}/documents"
    ok = client.post(url, {"stage_code": "acceptance", "doc_type": "property_certificate",
                           "file": SimpleUploadedFile("deed.pdf", PDF, content_type="application/pdf")})
    assert ok.status_code == 201, ok.content
    refused = client.post(url, {"stage_code": "acceptance", "doc_type": "commitment_letter",
                                "file": SimpleUploadedFile("promise.pdf", PDF, content_type="application/pdf")})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "not_in_policy"
    assert "doc_type" in refused.json()["error"]["fields"]
    assert Event.objects.filter(verb="policy.refused", data__value="commitment_letter").exists()
    fake = client.post(url, {"stage_code": "acceptance", "doc_type": "applicant_id",
                             "file": SimpleUploadedFile("id.pdf", b"MZ not a pdf", content_type="application/pdf")})
    assert fake.status_code == 422 and "file" in fake.json()["error"]["fields"]


def test_a_stage_not_in_the_policy_is_refused_and_logged(zz, travel):
    travel(at(2026, 11, 23))
    app_id = create(as_user(zz.applicant), zz.county)
    post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept")
    response = post(as_user(zz.inspector), f"/api/v1/applications/{app_id}/stages/design_review/complete")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_in_policy"
    assert Event.objects.filter(verb="policy.refused", data__value="design_review").exists()


def test_integrity_report_finds_evidence_before_registration_and_refiling(zz, travel):
    travel(at(2026, 11, 23, 9))
    client = as_user(zz.applicant)
    first = create(client, zz.county)
    post(as_user(zz.account_manager), f"/api/v1/applications/{first}/reject", {"reason": "资料不全"})
    travel(at(2026, 11, 24, 9))
    second = create(client, zz.county)
    refiled = Application.objects.get(pk=second)
    assert refiled.previous_id == first
    assert refiled.first_submitted_at == Application.objects.get(pk=first).submitted_at
    post(as_user(zz.account_manager), f"/api/v1/applications/{second}/accept")
    post(as_user(zz.installer), f"/api/v1/applications/{second}/stages/construction_connection/complete",
         {"evidence_date": "2026-11-20"})
    findings = as_user(zz.supervisor).get("/api/v1/applications/integrity/findings").json()
    kinds = {(f["kind"], f["stage"]) for f in findings}
    assert ("refiled", None) in kinds
    assert ("evidence_before_registration", "construction_connection") in kinds
    assert as_user(zz.applicant).get("/api/v1/applications/integrity/findings").status_code == 403


def test_client_time_is_a_claim_never_the_event_time(zz, travel):
    travel(at(2026, 11, 23, 9))
    app_id = create(as_user(zz.applicant), zz.county)
    post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept")
    travel(at(2026, 11, 24, 9))
    # The server's clock, kept moving forward past the log's last event (which an earlier test in
    # this database may have written at the real time).
    last = ChainHead.objects.filter(pk=1).values_list("last_at", flat=True).first()
    post(as_user(zz.installer), f"/api/v1/applications/{app_id}/stages/construction_connection/complete",
         {"claimed_at": "2026-11-01T08:00:00+08:00"})
    event = Event.objects.get(verb="stage.completed")
    assert event.at == max(at(2026, 11, 24, 9), last or at(2026, 11, 24, 9))
    assert event.claimed_at == at(2026, 11, 1, 8)


def test_audit_verify_catches_an_edited_application_event(zz, travel):
    travel(at(2026, 11, 23, 9))
    app_id = create(as_user(zz.applicant), zz.county)
    post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept")
    assert events.verify().ok
    append_only.remove(connection)
    target = Event.objects.get(verb="application.accepted")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_event SET data = %s WHERE id = %s",
                       [json.dumps({**target.data, "category": "hv10_single"}), target.pk])
    result = events.verify()
    assert not result.ok
    assert result.first_broken.seq == target.seq
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stdout=out)
    assert exit_info.value.code == 1


def test_cli_lists_applications_with_filters(zz, travel):
    travel(at(2026, 11, 2, 9))
    late = create(as_user(zz.applicant), zz.county)
    post(as_user(zz.account_manager), f"/api/v1/applications/{late}/accept")
    travel(at(2026, 11, 23, 9))
    create(as_user(zz.applicant), zz.county, site_address="台儿庄区运河大街2号")
    out = io.StringIO()
    call_command("applications", "list", "--json", stdout=out)
    assert len(json.loads(out.getvalue())) == 2
    out = io.StringIO()
    call_command("applications", "list", "--overdue", "--county", zz.county.code, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["number"] for r in rows] == [Application.objects.get(pk=late).number]
    assert rows[0]["overdue"] is True
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("applications", "list", "--county", "000000")
    assert "--county" in str(error.value)


def test_list_filters_and_pagination(zz, travel):
    travel(at(2026, 11, 23, 9))
    client = as_user(zz.applicant)
    for n in range(3):
        create(client, zz.county, site_address=f"台儿庄区运河大街{n}号")
    staff = as_user(zz.account_manager)
    page = staff.get("/api/v1/applications/?page_size=2").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert staff.get("/api/v1/applications/?status=submitted").json()["count"] == 3
    assert staff.get("/api/v1/applications/?status=energised").json()["count"] == 0
    assert staff.get(f"/api/v1/applications/?county={zz.county.code}&submitted_from=2026-11-23").json()["count"] == 3
    bad = staff.get("/api/v1/applications/?submitted_from=yesterday")
    assert bad.status_code == 422 and "submitted_from" in bad.json()["error"]["fields"]
