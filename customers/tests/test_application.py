"""One application's page: visibility, progress with explained due dates, the policies that
apply after acceptance, uploads, withdrawal, rating once after energisation, complaints."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from applications import actions as app_actions
from applications import deadlines, rules
from applications.models import Document
from applications.tests import samples
from applications.tests.conftest import at, person
from complaints.models import Complaint
from core import labels
from core.models import Event, OutboxMessage
from customers.models import Rating
from customers.tests.conftest import as_user
from workdays.schedule import get_schedule

pytestmark = pytest.mark.django_db
PDF = samples.pdf("property certificate")


def lv_application(team):
    application, _ = app_actions.application_create(
        by=team.applicant, data=app_actions.ApplicationInput(county=team.county.code, **person()))
    return application


def energise(team, application):
    app_actions.application_accept(application=application, by=team.account_manager)
    for stage in application.stages.filter(seq__gt=1).order_by("seq"):
        app_actions.stage_complete(application=application, code=stage.code, by=team.installer, result="已送电")
    application.refresh_from_db()
    return application


def test_pages_render_for_the_applicant_and_ask_anonymous_users_to_log_in(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    client = as_user(zz.applicant)
    for url in ("/me/", "/me/apply/", "/me/profile/", f"/me/applications/{application.pk}/"):
        assert client.get(url).status_code == 200, url
    home = client.get("/me/").content.decode()
    assert "申请用电" in home and application.number in home
    assert "剩余" in home  # the working-day countdown of the current stage
    # Before acceptance the progress bar already shows every stage the policy plans.
    version = rules.version_in_force(application.region, at(2026, 9, 29).date())
    for planned in rules.stage_plan(version, application.category, application=application):
        assert f'title="{planned.name}：' in home
    for url in ("/me/", "/me/apply/", "/me/profile/", f"/me/applications/{application.pk}/"):
        assert Client().get(url)["Location"].startswith("/me/login/?next="), url
    assert Client().get("/me/login/").status_code == 200
    assert Client().get("/me/signup/").status_code == 200


def test_another_applicants_or_another_countys_application_answers_404(zz, zj, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    url = f"/me/applications/{application.pk}/"
    assert as_user(zj.applicant).get(url).status_code == 404
    assert as_user(zj.account_manager).get(url).status_code == 404  # staff of another county
    assert as_user(zj.applicant).post(f"{url}complain/", {"text": "x"}).status_code == 404
    assert as_user(zj.applicant).post(f"{url}withdraw/", {}).status_code == 404
    assert as_user(zz.account_manager).get(url).status_code == 200  # the county's own staff


def test_progress_explains_the_due_date_and_policies_show_after_acceptance(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    client = as_user(zz.applicant)
    before = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert "适用政策" not in before and f"/contracts/{application.pk}/" not in before

    travel(at(2026, 9, 29, 15))
    app_actions.application_accept(application=application, by=zz.account_manager)
    application.refresh_from_db()
    page = client.get(f"/me/applications/{application.pk}/").content.decode()
    works = application.stages.get(seq=2)
    assert f"<strong>{works.due_date:%Y-%m-%d}</strong>" in page
    assert "国庆节" in page  # the holidays skipped on the way to the due date, with their names
    assert "适用政策" in page
    doc = rules.document(application.policy_version)
    assert doc.rules["sanling_sansheng"].text in page
    assert f'href="/contracts/{application.pk}/"' in page and f'href="/pay/{application.pk}/"' in page
    assert labels.verb("application.accepted") in page  # the timeline's label, not the verb


def test_upload_accepts_only_the_policy_documents_of_an_open_stage(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    client = as_user(zz.applicant)
    url = f"/me/applications/{application.pk}/upload/"
    ok = client.post(url, {"document": "acceptance:property_certificate",
                           "file": SimpleUploadedFile("p.pdf", PDF, content_type="application/pdf")})
    assert ok.status_code == 302
    assert Document.objects.get(application=application).doc_type == "property_certificate"
    names = rules.document_names(rules.version_in_force(application.region, at(2026, 9, 29).date()))
    assert f"{names['property_certificate']} · p.pdf" in client.get(f"/me/applications/{application.pk}/").content.decode()
    refused = client.post(url, {"document": "acceptance:traffic_plan",
                                "file": SimpleUploadedFile("t.pdf", PDF, content_type="application/pdf")})
    refusal = refused.content.decode()
    assert refused.status_code == 400 and "交通疏解方案" in refusal and "traffic_plan" not in refusal
    assert Document.objects.filter(application=application).count() == 1


def test_withdraw_closes_the_application(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    response = as_user(zz.applicant).post(f"/me/applications/{application.pk}/withdraw/", {"reason": "不建了"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn" and application.closing_reason == "不建了"


def test_rating_once_and_only_after_energisation(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    client = as_user(zz.applicant)
    url = f"/me/applications/{application.pk}/rate/"
    early = client.post(url, {"score": "5", "comment": "快"})
    assert early.status_code == 400 and "送电后才能评价" in early.content.decode()

    travel(at(2026, 9, 30, 10))
    energise(zz, application)
    assert application.status == "energised"
    assert "评价本次服务" in client.get(f"/me/applications/{application.pk}/").content.decode()
    assert client.post(url, {"score": "5", "comment": "当日受理，次日送电"}).status_code == 302
    again = client.post(url, {"score": "1", "comment": "改主意"})
    assert again.status_code == 400
    rating = Rating.objects.get(application=application)
    assert (rating.score, rating.comment) == (5, "当日受理，次日送电")
    assert Event.objects.filter(verb="rating.submitted", subject_id=str(application.pk)).count() == 1
    assert as_user(zz.account_manager).post(url, {"score": "3"}).status_code == 400  # staff cannot rate for them
    assert client.post(url, {"score": "6"}).status_code == 400


def test_a_complaint_goes_to_the_county_supervisor_with_its_own_deadline(zz, travel):
    from complaints.actions import complaint_limit

    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    form = as_user(zz.applicant).get(f"/me/applications/{application.pk}/").content.decode()
    key = form.split('name="idempotency_key" value="')[1].split('"')[0]
    response = as_user(zz.applicant).post(f"/me/applications/{application.pk}/complain/",
                                          {"text": "客户经理未按约上门", "idempotency_key": key})
    assert response.status_code == 302
    complaint = Complaint.objects.get(application=application)
    limit = complaint_limit()
    assert complaint.supervisor == zz.supervisor
    assert complaint.due_date == deadlines.add(at(2026, 9, 29).date(), limit.value, limit.unit, schedule=get_schedule())
    note = OutboxMessage.objects.get(user=zz.supervisor, kind="complaint_filed", channel="inapp")
    assert note.link == f"/work/complaints/{complaint.pk}/" and str(complaint.due_date) in note.text
    assert Event.objects.filter(verb="complaint.filed", subject_id=str(complaint.pk)).exists()
    # The same form sent twice (double click) is one case.
    again = as_user(zz.applicant).post(f"/me/applications/{application.pk}/complain/",
                                       {"text": "客户经理未按约上门", "idempotency_key": key})
    assert again.status_code == 302 and Complaint.objects.filter(application=application).count() == 1
    empty = as_user(zz.applicant).post(f"/me/applications/{application.pk}/complain/",
                                       {"text": " ", "idempotency_key": "k2"})
    assert empty.status_code == 400


def test_a_pause_that_moved_the_due_date_is_explained_with_its_reason(zz, travel):
    from applications.tests.conftest import enterprise

    travel(at(2026, 9, 28, 10))
    application, _ = app_actions.application_create(
        by=zz.applicant, data=app_actions.ApplicationInput(county=zz.county.code, **enterprise()))
    travel(at(2026, 9, 29, 10))
    app_actions.application_accept(application=application, by=zz.account_manager)
    travel(at(2026, 10, 9, 16))
    app_actions.stage_complete(application=application, code="scheme_reply", by=zz.designer, result="方案已答复")
    travel(at(2026, 10, 12, 9))
    app_actions.stage_pause(application=application, code="completion_inspection", by=zz.inspector,
                            reason="customer_works", note="受电工程未完工")
    client = as_user(zz.applicant)
    paused = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert "暂停计时（客户原因）" in paused and "客户受电工程施工" in paused and "受电工程未完工" in paused
    travel(at(2026, 10, 16, 9))
    stage = app_actions.stage_resume(application=application, code="completion_inspection", by=zz.inspector)
    page = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert stage.paused_workdays == 4
    assert f"因客户原因暂停 {stage.paused_workdays} 个工作日，到期日由 {stage.base_due:%Y-%m-%d} 顺延" in page
    assert f"<strong>{stage.due_date:%Y-%m-%d}</strong>" in page
    assert "恢复计时" in page  # the timeline


def test_operators_read_complaints_and_ratings_in_the_admin_without_editing_them(zz, world, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    from complaints import actions

    complaint, _created = actions.complaint_file(application=application, by=zz.applicant, text="电话无人接听")
    admin = as_user(world.root)
    listing = admin.get("/admin/complaints/complaint/")
    assert listing.status_code == 200 and application.number in listing.content.decode()
    assert admin.get("/admin/complaints/complaint/add/").status_code == 403
    assert admin.post(f"/admin/complaints/complaint/{complaint.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Complaint.objects.filter(pk=complaint.pk).exists()