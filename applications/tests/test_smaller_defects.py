"""Issue 9 item 9, the smaller defects: 500 → 403 for a government officer on contract and
payment pages, 422 → 403 on the workbench, an escalation closed once, slot publishing that
overflowed, and uploads checked whole, stored with their canonical extension, within a quota."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import actions as accounts
from accounts.roles import Role
from applications import actions
from applications.actions import documents
from applications.models import Document, Escalation
from applications.tests import samples
from applications.tests.conftest import PASSWORD, at, enterprise
from applications.tests.test_flows import as_user
from appointments.models import Slot
from core.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(zz, travel):
    travel(at(2026, 9, 28, 9))
    application, _ = actions.application_create(by=zz.applicant, data=actions.ApplicationInput(
        **enterprise(county=zz.county.code)))
    return actions.application_accept(application=application, by=zz.account_manager)


@pytest.fixture
def officer(zz):
    """A natural-resources officer of 台儿庄's city: sees applications, holds no contract or payment role."""
    import time_machine

    from conftest import BUILT_AT

    with time_machine.travel(BUILT_AT, tick=False):
        bureau = accounts.organisation_create(code="zz-zrzy", name="枣庄市自然资源和规划局", kind="gov_department",
                                              division=zz.county.parent, department="natural_resources")
        return accounts.user_create(username="zz_officer", password=PASSWORD, role=Role.GOV_OFFICER,
                                    organisation=bureau)


def test_a_government_officer_gets_403_not_500_on_contract_and_payment_pages(accepted, officer):
    client = as_user(officer)
    for url in (f"/contracts/{accepted.pk}/", f"/pay/{accepted.pk}/"):
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert response.status_code != 500


def test_a_refused_role_on_the_workbench_is_403_not_a_form_error(zz, accepted):
    regulator = accounts.user_create(username="tez_regulator2", password=PASSWORD, role=Role.REGULATOR,
                                     organisation=zz.org.parent.parent)
    response = as_user(regulator).post(f"/work/applications/{accepted.pk}/fee/",
                                       {"item": "高可靠性供电费", "amount": "1.00"})
    assert response.status_code == 403


def test_an_escalation_is_closed_once(zz, accepted, travel):
    from applications.models import Stage

    stage = Stage.objects.get(application=accepted, code="scheme_reply")
    escalation = Escalation.objects.create(stage=stage, supervisor=zz.supervisor, opened_at=accepted.accepted_at,
                                           due_date=dt.date(2026, 10, 9))
    actions.escalation_close(escalation=escalation, by=zz.supervisor)
    with pytest.raises(Conflict):
        actions.escalation_close(escalation=escalation, by=zz.supervisor)
    page = as_user(zz.supervisor).post(f"/work/escalations/{escalation.pk}/close/")
    assert page.status_code == 422


@pytest.mark.parametrize("form", [
    {"date": "9999-12-31", "time": "23:30", "minutes": "120"},
    {"date": "2026-10-08", "time": "09:00", "minutes": "99999999999999999999"},
    {"date": "2026-10-08", "time": "09:00", "minutes": "-5"},
    {"date": "2099-12-31", "time": "09:00", "minutes": "60"},
])
def test_publishing_a_slot_never_overflows(zz, travel, form):
    travel(at(2026, 9, 28, 9))
    response = as_user(zz.account_manager).post("/appointments/slots/", form)
    assert response.status_code in (400, 422), response.status_code
    assert not Slot.objects.exists()


def upload(application, by, content: bytes, name="licence.pdf", content_type="application/pdf"):
    return actions.document_upload(application=application, by=by, stage_code="acceptance",
                                   doc_type="property_certificate",
                                   upload=SimpleUploadedFile(name, content, content_type=content_type))


def test_an_upload_is_checked_whole_not_by_its_first_bytes(zz, accepted):
    truncated_pdf = samples.PDF[: len(samples.PDF) // 2]
    magic_only = b"%PDF-1.4\n" + b"\x00" * 200
    png_head_only = samples.png()[:40]
    jpeg_cut = samples.jpeg((64, 64))[:-200]
    for content, content_type in ((truncated_pdf, "application/pdf"), (magic_only, "application/pdf"),
                                  (png_head_only, "image/png"), (jpeg_cut, "image/jpeg")):
        with pytest.raises(InvalidInput) as refusal:
            upload(accepted, zz.applicant, content, content_type=content_type)
        assert "file" in refusal.value.fields
    assert not Document.objects.exists()
    for content, content_type in ((samples.PDF, "application/pdf"), (samples.png(), "image/png"),
                                  (samples.jpeg(), "image/jpeg")):
        upload(accepted, zz.applicant, content, content_type=content_type)
    assert Document.objects.count() == 3


def test_an_upload_is_stored_under_its_canonical_extension(zz, accepted):
    document = upload(accepted, zz.applicant, samples.PDF, name="证书.exe.html")
    assert document.file.name.endswith(".pdf")
    assert ".html" not in document.file.name and ".exe" not in document.file.name
    assert document.original_name == "证书.exe.html"  # shown to people, never used as a path


def test_uploads_stop_at_the_application_quota(zz, accepted, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENTS", 2)
    upload(accepted, zz.applicant, samples.PDF)
    upload(accepted, zz.applicant, samples.pdf("second"))
    with pytest.raises(InvalidInput, match="已有 2 份资料"):
        upload(accepted, zz.applicant, samples.pdf("third"))
    assert Document.objects.count() == 2


def test_an_oversized_upload_is_refused_by_its_declared_length(zz, accepted, settings):
    settings.GETPOWER_MAX_REQUEST_BYTES = 4096
    response = as_user(zz.applicant).post(f"/me/applications/{accepted.pk}/upload/", {
        "document": "acceptance:property_certificate",
        "file": SimpleUploadedFile("big.pdf", samples.PDF + b"%" * 8192, content_type="application/pdf")})
    assert response.status_code == 413
    assert not Document.objects.exists()
