"""A complaint's whole loop: filed (portal, API or a 95598/12398 call), answered by the
county supervisor on the clock, confirmed or reopened by the complainant, swept when late."""
import json

import pytest
from django.test import Client

from applications import actions as app_actions
from applications import deadlines
from applications.tests.conftest import at, person
from complaints import actions
from complaints.actions import complaint_limit
from complaints.models import TEXT_MAX, Complaint
from core.errors import Conflict, Forbidden, InvalidInput
from core.models import Event, OutboxMessage
from workdays.schedule import get_schedule

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lv_application(team):
    application, _ = app_actions.application_create(
        by=team.applicant, data=app_actions.ApplicationInput(county=team.county.code, **person()))
    return application


def verbs(complaint):
    return list(Event.objects.filter(subject_type="complaints.complaint", subject_id=str(complaint.pk))
                .order_by("seq").values_list("verb", flat=True))


def test_filed_replied_reopened_replied_confirmed(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    portal = as_user(zz.applicant)
    response = portal.post(f"/me/applications/{application.pk}/complain/",
                           {"text": "客户经理未按约上门", "idempotency_key": "k1"})
    assert response.status_code == 302
    complaint = Complaint.objects.get(application=application)
    limit = complaint_limit()
    assert complaint.due_date == deadlines.add(at(2026, 9, 29).date(), limit.value, limit.unit, schedule=get_schedule())
    assert complaint.channel == "portal" and complaint.supervisor == zz.supervisor

    # The supervisor's list shows the case with its clock.
    work = as_user(zz.supervisor)
    listing = work.get("/work/complaints/").content.decode()
    assert complaint.number in listing and f"{complaint.due_date:%Y-%m-%d}" in listing
    assert "台儿庄区" in listing and limit.reason in listing

    travel(at(2026, 9, 30, 10))
    assert work.post(f"/work/complaints/{complaint.pk}/reply/", {"text": "已约定10月8日上门，致歉。"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "replied"
    told = OutboxMessage.objects.get(user=zz.applicant, kind="complaint_replied", channel="inapp")
    assert complaint.number in told.text and told.link == f"/me/complaints/#c{complaint.pk}"

    page = portal.get(f"/me/applications/{application.pk}/").content.decode()
    assert "已约定10月8日上门" in page and "您对答复是否满意" in page

    travel(at(2026, 10, 9, 10))
    reopened = portal.post(f"/me/complaints/{complaint.pk}/feedback/",
                           {"satisfied": "no", "comment": "仍未上门", "back": "application"})
    assert reopened.status_code == 302 and "done=reopened" in reopened["Location"]
    complaint.refresh_from_db()
    assert complaint.state == "open" and complaint.reopened == 1 and complaint.satisfied is False
    # A fresh round on the clock from the day it was reopened.
    assert complaint.opened_on == at(2026, 10, 9).date()
    assert complaint.due_date == deadlines.add(at(2026, 10, 9).date(), limit.value, limit.unit, schedule=get_schedule())
    reopened_note = OutboxMessage.objects.get(user=zz.supervisor, kind="complaint_reopened", channel="inapp")
    assert "重新打开" in reopened_note.text and reopened_note.link == f"/work/complaints/{complaint.pk}/"

    work.post(f"/work/complaints/{complaint.pk}/reply/", {"text": "已于今日上门装表。"})
    confirmed = portal.post(f"/me/complaints/{complaint.pk}/feedback/", {"satisfied": "yes"})
    assert confirmed.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "closed" and complaint.satisfied is True and complaint.closed_at is not None
    assert verbs(complaint) == ["complaint.filed", "complaint.replied", "complaint.reopened", "complaint.replied",
                                "complaint.confirmed"]
    mine = portal.get("/me/complaints/").content.decode()
    assert complaint.number in mine and "已办结" in mine and "已于今日上门装表" in mine


def test_not_satisfied_needs_a_reason_and_only_the_complainant_answers_online(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    complaint, _ = actions.complaint_file(by=zz.applicant, application=application, text="收费不清楚")
    actions.complaint_reply(complaint=complaint, by=zz.supervisor, text="已解释收费依据")
    with pytest.raises(InvalidInput) as refused:
        actions.complaint_feedback(complaint=complaint, by=zz.applicant, satisfied=False, comment="")
    assert "comment" in refused.value.fields
    with pytest.raises(Forbidden):
        actions.complaint_feedback(complaint=complaint, by=zz.designer, satisfied=True)
    with pytest.raises(Forbidden):
        actions.complaint_reply(complaint=complaint, by=zz.applicant, text="自己答复自己")
    page = as_user(zz.applicant).post(f"/me/complaints/{complaint.pk}/feedback/", {"satisfied": "no"})
    assert page.status_code == 400 and "请填写内容" in page.content.decode()


def test_a_complaint_about_no_application_goes_to_the_county_company(zz, travel):
    travel(at(2026, 9, 29, 9))
    portal = as_user(zz.applicant)
    page = portal.get("/me/complaints/").content.decode()
    assert "台儿庄区" in page and 'href="tel:95598"' in page and 'href="tel:12398"' in page
    response = portal.post("/me/complaints/", {"county": zz.county.code, "text": "营业厅排队两小时",
                                               "idempotency_key": "g1"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.application is None and complaint.county == zz.county
    assert complaint.handling_org == zz.org and complaint.supervisor == zz.supervisor
    missing = portal.post("/me/complaints/", {"county": "", "text": "没有区县", "idempotency_key": "g2"})
    assert missing.status_code == 400


def test_staff_enter_a_phone_case_and_record_the_callback(zz, travel):
    travel(at(2026, 9, 29, 9))
    work = as_user(zz.account_manager)
    form = work.get("/work/complaints/new/").content.decode()
    assert "12398能源监管热线" in form and "95598供电服务热线" in form
    response = work.post("/work/complaints/new/", {
        "channel": "phone_12398", "county": zz.county.code, "contact_name": "李先生",
        "contact_phone": "13800000000", "text": "抄表员态度差", "idempotency_key": "p1"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone_12398" and complaint.complainant is None
    assert complaint.filed_by == zz.account_manager and complaint.supervisor == zz.supervisor
    assert "13800000000" not in complaint.contact_phone_enc  # stored encrypted
    case = as_user(zz.supervisor).get(f"/work/complaints/{complaint.pk}/").content.decode()
    assert 'href="tel:13800000000"' in case  # the one who answers calls back
    assert "13800000000" not in as_user(zz.designer).get(f"/work/complaints/{complaint.pk}/").content.decode()
    # A phone case needs the caller's number for the callback.
    refused = work.post("/work/complaints/new/", {
        "channel": "phone_95598", "county": zz.county.code, "contact_name": "张女士", "contact_phone": "",
        "text": "停电未通知", "idempotency_key": "p2"})
    assert refused.status_code == 400
    supervisor = as_user(zz.supervisor)
    supervisor.post(f"/work/complaints/{complaint.pk}/reply/", {"text": "已批评教育抄表员"})
    supervisor.post(f"/work/complaints/{complaint.pk}/callback/", {"satisfied": "yes", "comment": "电话回访满意"})
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    entry = complaint.entries.last()
    assert entry.on_behalf and entry.by == zz.supervisor
    # The caller has no account: the reply reached them by SMS at the number they called from.
    sms = OutboxMessage.objects.get(kind="complaint_replied")
    assert sms.user is None and sms.contact_name == "李先生" and sms.channel != "inapp"
    assert "已批评教育抄表员" in sms.text


def test_double_submissions_make_one_case(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    first, created = actions.complaint_file(by=zz.applicant, application=application, text="A", idempotency_key="x")
    again, created_again = actions.complaint_file(by=zz.applicant, application=application, text="A",
                                                  idempotency_key="x")
    assert created and not created_again and again.pk == first.pk
    # Without a key, the same text again within minutes (a retried request) is the same case too.
    retry, created_retry = actions.complaint_file(by=zz.applicant, application=application, text="A")
    assert not created_retry and retry.pk == first.pk
    with pytest.raises(Conflict):
        actions.complaint_file(by=zz.applicant, application=application, text="B", idempotency_key="x")
    travel(at(2026, 9, 29, 10))
    later, created_later = actions.complaint_file(by=zz.applicant, application=application, text="A")
    assert created_later and later.pk != first.pk
    assert Complaint.objects.count() == 2


def test_text_is_bounded_and_clean(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    with pytest.raises(InvalidInput) as too_long:
        actions.complaint_file(by=zz.applicant, application=application, text="长" * (TEXT_MAX + 1))
    assert f"{TEXT_MAX}" in too_long.value.fields["text"]
    with pytest.raises(InvalidInput):
        actions.complaint_file(by=zz.applicant, application=application, text="a\x00b")
    complaint, _ = actions.complaint_file(by=zz.applicant, application=application, text="长" * TEXT_MAX)
    assert len(complaint.text) == TEXT_MAX
    with pytest.raises(InvalidInput):
        actions.complaint_file(by=zz.applicant, application=application, text="x", channel="wechat")
    # Applicants file through the portal or the API, never as a phone call.
    with pytest.raises(Forbidden):
        actions.complaint_file(by=zz.applicant, application=application, text="y", channel="phone_95598",
                               contact_phone="13800000000", contact_name="王芳")


def test_the_sweep_marks_late_cases_once_and_counts_them_per_county(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    late, _ = actions.complaint_file(by=zz.applicant, application=application, text="一直没人管")
    answered, _ = actions.complaint_file(by=zz.applicant, application=application, text="另一件事")
    actions.complaint_reply(complaint=answered, by=zz.supervisor, text="已处理")
    day_after = deadlines.add(late.due_date, 1, "day", schedule=get_schedule())
    assert actions.complaints_check_overdue(today=late.due_date) == 0
    assert actions.complaints_check_overdue(today=day_after) == 1
    assert actions.complaints_check_overdue(today=day_after) == 0  # once per round
    late.refresh_from_db()
    assert late.overdue and verbs(late)[-1] == "complaint.overdue"
    assert OutboxMessage.objects.filter(user=zz.supervisor, kind="overdue", channel="inapp").count() == 1
    travel(at(day_after.year, day_after.month, day_after.day, 9))
    listing = as_user(zz.supervisor).get("/work/complaints/?overdue=1").content.decode()
    assert late.number in listing and answered.number not in listing
    counts = as_user(zz.supervisor).get("/api/v1/complaints/counts").json()
    assert counts == [{"county": zz.county.code, "county_name": "台儿庄区", "total": 2, "open": 1, "overdue": 1,
                       "replied": 1, "closed": 0, "reopened": 0}]


def test_close_needs_a_reply_first_and_a_note(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    complaint, _ = actions.complaint_file(by=zz.applicant, application=application, text="未答复就想办结")
    with pytest.raises(Conflict):
        actions.complaint_close(complaint=complaint, by=zz.supervisor, note="结束")
    actions.complaint_reply(complaint=complaint, by=zz.supervisor, text="答复")
    with pytest.raises(Forbidden):
        actions.complaint_close(complaint=complaint, by=zz.account_manager, note="结束")
    page = as_user(zz.supervisor).post(f"/work/complaints/{complaint.pk}/close/", {"note": ""})
    assert page.status_code == 422
    actions.complaint_close(complaint=complaint, by=zz.supervisor, note="三次回访未接通，按答复办结")
    complaint.refresh_from_db()
    assert complaint.state == "closed" and verbs(complaint)[-1] == "complaint.closed"


def test_other_counties_do_not_see_the_case(zz, zj, travel):
    travel(at(2026, 9, 29, 9))
    complaint, _ = actions.complaint_file(by=zz.applicant, county=zz.county, text="一般服务")
    assert as_user(zj.supervisor).get(f"/work/complaints/{complaint.pk}/").status_code == 404
    assert complaint.number not in as_user(zj.supervisor).get("/work/complaints/").content.decode()
    assert as_user(zj.applicant).get("/me/complaints/").content.decode().count(complaint.number) == 0
    assert as_user(zz.applicant).get("/work/complaints/").status_code == 302  # applicants belong on /me/


def test_api_files_once_per_key_and_runs_the_loop(zz, travel):
    travel(at(2026, 9, 29, 9))
    application = lv_application(zz)
    api = as_user(zz.applicant)
    body = json.dumps({"text": "接电延误", "application": application.number})
    first = api.post("/api/v1/complaints/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/complaints/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    data = first.json()
    assert data["id"] == again.json()["id"] and data["channel"] == "api"
    assert data["channel_name"] == "接口" and data["state_name"] == "处理中"
    assert data["limit_reason"] == complaint_limit().reason
    too_long = api.post("/api/v1/complaints/", json.dumps({"text": "x" * (TEXT_MAX + 1)}),
                        content_type="application/json")
    assert too_long.status_code == 422 and "text" in too_long.json()["error"]["fields"]
    staff = as_user(zz.supervisor)
    listed = staff.get("/api/v1/complaints/?state=open").json()
    assert [item["number"] for item in listed["items"]] == [data["number"]]
    replied = staff.post(f"/api/v1/complaints/{data['id']}/reply", json.dumps({"text": "已安排"}),
                         content_type="application/json")
    assert replied.status_code == 200 and replied.json()["state"] == "replied"
    refused = api.post(f"/api/v1/complaints/{data['id']}/reply", json.dumps({"text": "x"}),
                       content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    done = api.post(f"/api/v1/complaints/{data['id']}/feedback", json.dumps({"satisfied": True}),
                    content_type="application/json")
    assert done.json()["state"] == "closed"
    assert [e["kind"] for e in done.json()["entries"]] == ["reply", "satisfied"]
