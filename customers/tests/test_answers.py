"""The applicant answers online: sees the schemes in words and chooses one, sees fees,
contract and bookings, answers a pause by uploading what was asked, takes back a wrong
upload nobody reviewed, and is never asked for what data sharing provides (四免)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import actions as app_actions
from applications import rules
from applications.models import Application, Document
from applications.tests import samples
from applications.tests.conftest import at, county_team, enterprise
from applications.tests.test_flows import as_user, post
from core.errors import InvalidInput, PolicyViolation
from core.models import Event

pytestmark = pytest.mark.django_db
PDF = samples.pdf("design drawings")


@pytest.fixture
def sx(db, policies):
    return county_team(region="shaanxi", province_code="610000", province="陕西省", city_code="610100", city="西安市",
                       city_group="xian", county_code="610113", county="雁塔区", slug="yt")


def accepted_hv(team, travel):
    travel(at(2026, 11, 23, 9))
    body = enterprise(county=team.county.code, site_address="雁塔区科技路10号", capacity_kva="1000")
    app_id = post(as_user(team.applicant), "/api/v1/applications/", body).json()["id"]
    post(as_user(team.account_manager), f"/api/v1/applications/{app_id}/accept")
    return Application.objects.get(pk=app_id)


def test_schemes_in_words_and_the_applicants_choice(sx, travel):
    application = accepted_hv(sx, travel)
    app_actions.scheme_propose(application=application, by=sx.designer, schemes=[
        app_actions.SchemeInput("方案一", "10kV科技线#12杆", "connection_point", 120000, 80000, "架空接入"),
        app_actions.SchemeInput("方案二", "10kV高新线环网柜", "connection_point", 90000, 110000, "电缆接入"),
    ])
    client = as_user(sx.applicant)
    page = client.get(f"/me/applications/{application.pk}/").content.decode()
    for words in ("10kV科技线#12杆", "10kV高新线环网柜", "¥120000.00", "¥110000.00", "投资至产权分界点（接入点）",
                  "10 kV", "请选择一个", "费用、合同与预约"):
        assert words in page, words
    assert "connection_point" not in page
    response = client.post(f"/me/applications/{application.pk}/choose/", {"label": "方案二"})
    assert response.status_code == 302 and "done=choose" in response["Location"]
    assert application.schemes.get(chosen=True).label == "方案二"
    after = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert "您已选定" in after and "请选择一个" not in after
    # Someone else's application cannot be chosen for.
    other = as_user(sx.account_manager).post(f"/me/applications/{application.pk}/choose/", {"label": "方案一"})
    assert other.status_code == 400 and application.schemes.get(chosen=True).label == "方案二"


def test_a_pause_for_documents_says_what_and_accepts_that_upload(sx, travel):
    application = accepted_hv(sx, travel)
    version = application.policy_version
    names = rules.document_names(version)
    # The design documents belong to 设计审查, not to 供电方案答复; the pause may still ask for them.
    assert "design_documents" not in rules.allowed_documents(version, application.category, "scheme_reply")
    with pytest.raises(PolicyViolation):  # nothing beyond the policy's list
        app_actions.stage_pause(application=application, code="scheme_reply", by=sx.designer,
                                reason="awaiting_documents", documents=["commitment_letter"])
    with pytest.raises(InvalidInput):  # 四免: never what data sharing provides
        app_actions.stage_pause(application=application, code="scheme_reply", by=sx.designer,
                                reason="awaiting_documents", documents=["property_certificate"])
    app_actions.stage_pause(application=application, code="scheme_reply", by=sx.designer,
                            reason="awaiting_documents", note="请提供设计图纸以便核定接入方案",
                            documents=["design_documents"])
    client = as_user(sx.applicant)
    page = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert "需要您办理" in page and names["design_documents"] in page and "请提供设计图纸以便核定接入方案" in page
    assert 'value="scheme_reply:design_documents" selected' in page
    upload = client.post(f"/me/applications/{application.pk}/upload/", {
        "document": "scheme_reply:design_documents",
        "file": SimpleUploadedFile("design.pdf", PDF, content_type="application/pdf")})
    assert upload.status_code == 302
    document = Document.objects.get(application=application)
    assert (document.stage_code, document.doc_type) == ("scheme_reply", "design_documents")
    assert "已上传，等待审核" in client.get(f"/me/applications/{application.pk}/").content.decode()
    # Once the pause is over, that type is no longer accepted at this stage.
    app_actions.stage_resume(application=application, code="scheme_reply", by=sx.designer)
    late = client.post(f"/me/applications/{application.pk}/upload/", {
        "document": "scheme_reply:design_documents",
        "file": SimpleUploadedFile("again.pdf", PDF, content_type="application/pdf")})
    assert late.status_code == 400


def test_a_wrong_upload_can_be_taken_back_until_staff_review_it(sx, travel):
    application = accepted_hv(sx, travel)
    app_actions.stage_pause(application=application, code="scheme_reply", by=sx.designer,
                            reason="awaiting_documents", documents=["design_documents", "project_approval"])
    client = as_user(sx.applicant)
    url = f"/me/applications/{application.pk}/upload/"
    client.post(url, {"document": "scheme_reply:design_documents",
                      "file": SimpleUploadedFile("wrong.pdf", PDF, content_type="application/pdf")})
    wrong = Document.objects.get(original_name="wrong.pdf")
    page = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert f"/documents/{wrong.pk}/delete/" in page and "data-confirm" in page
    # Staff cannot delete the applicant's upload from the portal.
    assert as_user(sx.account_manager).post(f"/me/applications/{application.pk}/documents/{wrong.pk}/delete/") \
        .status_code == 400
    gone = client.post(f"/me/applications/{application.pk}/documents/{wrong.pk}/delete/")
    assert gone.status_code == 302 and not Document.objects.filter(pk=wrong.pk).exists()
    deleted = Event.objects.filter(verb="document.deleted").get()
    assert deleted.data["sha256"] == wrong.sha256 and deleted.data["name"] == "wrong.pdf"
    client.post(url, {"document": "scheme_reply:design_documents",
                      "file": SimpleUploadedFile("right.pdf", PDF, content_type="application/pdf")})
    right = Document.objects.get(original_name="right.pdf")
    app_actions.stage_resume(application=application, code="scheme_reply", by=sx.designer)  # reviewed
    refused = client.post(f"/me/applications/{application.pk}/documents/{right.pk}/delete/")
    assert refused.status_code == 400 and "已经工作人员审核" in refused.content.decode()
    assert Document.objects.filter(pk=right.pk).exists()


def test_documents_obtained_by_data_sharing_are_never_asked(sx, travel):
    travel(at(2026, 11, 23, 9))
    body = enterprise(county=sx.county.code, site_address="雁塔区科技路12号", capacity_kva="1000")
    app_id = post(as_user(sx.applicant), "/api/v1/applications/", body).json()["id"]
    application = Application.objects.get(pk=app_id)
    version = rules.version_in_force("shaanxi", at(2026, 11, 23).date())
    names = rules.document_names(version)
    page = as_user(sx.applicant).get(f"/me/applications/{app_id}/").content.decode()
    assert "已通过数据共享获取" in page
    # 一证通办: the header names the one document and what sharing brings, and the form does not ask for them.
    assert f"一证通办：凭{names['applicant_id']}办理" in page
    select = page.split('name="document"')[1].split("</select>")[0]
    for shared in rules.shared_documents(version):
        assert f"acceptance:{shared}" not in select
    assert "acceptance:project_approval" in select  # listed by the policy and not shared: asked
    assert application.status == "submitted"
