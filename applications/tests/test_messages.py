"""Every customer-visible event tells its people, in plain Chinese, in the same transaction as
the change: a 10 kV application in 台儿庄 from acceptance to energising, with a pause, a fee, a
contract, a booking, a rejection and a withdrawal on the side, and the staff's warnings."""
import datetime as dt
import re

import pytest
from django.db import transaction

from applications import actions
from applications.models import Application, Stage
from applications.tests.conftest import PASSWORD, at, enterprise, person
from applications.tests.test_flows import as_user, post, stage
from appointments import actions as appointments
from contracts import actions as contracts
from core import outbox
from core.models import OutboxMessage
from workdays.schedule import get_schedule

pytestmark = pytest.mark.django_db
RAW_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # e.g. scheme_reply, awaiting_documents


def inbox(user, **filters):
    return list(OutboxMessage.objects.filter(user=user, channel="inapp", **filters).order_by("id"))


def kinds(user):
    return [m.kind for m in inbox(user)]


def readable(message):
    assert not RAW_CODE.search(message.text), message.text
    assert message.text.strip() and len(message.text) < 300


def scheme(label):
    return {"label": label, "connection_point": "10kV兴业线#7杆", "boundary": "connection_point",
            "customer_cost": "120000", "utility_cost": "80000"}


def test_an_applicant_hears_of_every_step_from_acceptance_to_energising(zz, travel):
    travel(at(2026, 9, 28, 10))
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", enterprise(county=zz.county.code)).json()["id"]
    assert inbox(zz.applicant) == []  # nothing to tell before acceptance

    accepted = post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    scheme_due = stage(accepted, "scheme_reply")["due_date"]
    assert kinds(zz.applicant) == ["accepted", "stage_started"]
    started = inbox(zz.applicant, kind="stage_started")[0]
    assert "供电方案答复" in started.text and f"应于 {scheme_due} 前完成" in started.text
    assert started.link == f"/me/applications/{app_id}/"
    assert inbox(zz.designer, kind="stage_started")[0].link == f"/work/applications/{app_id}/"

    travel(at(2026, 9, 29, 10))
    paused = post(as_user(zz.designer), f"/api/v1/applications/{app_id}/stages/scheme_reply/pause",
                  {"reason": "awaiting_documents", "note": "请补充用电设备清单", "respond_by": "2026-10-12"})
    assert paused.status_code == 200, paused.content
    note = inbox(zz.applicant, kind="paused")[0]
    assert "等待客户补充资料" in note.text and "请补充用电设备清单" in note.text and "2026-10-12" in note.text

    travel(at(2026, 10, 9, 10))
    resumed = post(as_user(zz.designer), f"/api/v1/applications/{app_id}/stages/scheme_reply/resume").json()
    assert f"应于 {stage(resumed, 'scheme_reply')['due_date']} 前完成" in inbox(zz.applicant, kind="resumed")[0].text

    replied = post(as_user(zz.designer), f"/api/v1/applications/{app_id}/schemes",
                   {"schemes": [scheme("方案一"), scheme("方案二")]})
    assert replied.status_code == 200, replied.content
    assert "共 2 个方案（方案一、方案二）" in inbox(zz.applicant, kind="scheme_replied")[0].text

    post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/fees",
         {"item": "高可靠性供电费", "amount": "12800"})
    fee = inbox(zz.applicant, kind="fee_due")[0].text
    assert "高可靠性供电费" in fee and "¥12,800.00" in fee and "价格主管部门批准" in fee  # basis from the catalogue

    application = Application.objects.get(pk=app_id)
    contract, _ = contracts.contract_generate(application=application, by=zz.account_manager)
    assert contract.number in inbox(zz.applicant, kind="contract_ready")[0].text

    slot = appointments.slot_publish(by=zz.account_manager, starts_at=at(2026, 10, 13, 9),
                                     ends_at=at(2026, 10, 13, 10))
    booking = appointments.booking_create(application=application, slot=slot, by=zz.applicant)
    assert "2026-10-13 09:00–10:00" in inbox(zz.applicant, kind="appointment_booked")[0].text
    assert inbox(zz.account_manager, kind="appointment_booked")
    appointments.booking_cancel(booking=booking, by=zz.applicant, reason="改期")
    assert "改期" in inbox(zz.account_manager, kind="appointment_cancelled")[0].text
    assert inbox(zz.applicant, kind="appointment_cancelled")

    travel(at(2026, 10, 14, 10))
    for code in [s.code for s in application.stages.order_by("seq") if s.seq >= 2]:
        body = {"result": "合格", "checked_by": zz.second_inspector.username, "checker_password": PASSWORD}
        for who in (zz.designer, zz.inspector, zz.installer, zz.account_manager):  # whoever's role it is
            done = post(as_user(who), f"/api/v1/applications/{app_id}/stages/{code}/complete", body)
            if done.status_code == 200:
                break
        assert done.status_code == 200, (code, done.content)
    assert Application.objects.get(pk=app_id).status == "energised"
    got = kinds(zz.applicant)
    for kind in ["accepted", "stage_started", "paused", "resumed", "scheme_replied", "fee_due", "contract_ready",
                 "appointment_booked", "appointment_cancelled", "stage_completed", "energised"]:
        assert kind in got, kind
    assert "2026-10-14" in inbox(zz.applicant, kind="energised")[0].text
    for message in inbox(zz.applicant):
        readable(message)
    # One row per recipient-event: no step told twice.
    keys = [m.key for m in inbox(zz.applicant)]
    assert len(keys) == len(set(keys))


def test_rejected_and_withdrawn_applicants_are_told_why(zz, travel):
    travel(at(2026, 9, 28, 10))
    one = post(as_user(zz.applicant), "/api/v1/applications/", person(county=zz.county.code)).json()["id"]
    two = post(as_user(zz.applicant), "/api/v1/applications/",
               person(county=zz.county.code, site_address="台儿庄区运河街3号")).json()["id"]
    post(as_user(zz.account_manager), f"/api/v1/applications/{one}/reject", {"reason": "用电地址不在本供电区域"})
    post(as_user(zz.applicant), f"/api/v1/applications/{two}/withdraw", {"reason": "不再需要"})
    assert "用电地址不在本供电区域" in inbox(zz.applicant, kind="rejected")[0].text
    assert "已于 2026-09-28 撤回" in inbox(zz.applicant, kind="withdrawn")[0].text


def test_a_hall_application_without_an_account_is_told_by_sms_to_its_contact_phone(zz, travel, settings):
    settings.NOTIFY_CHANNEL = "sms"
    travel(at(2026, 9, 28, 10))
    response = post(as_user(zz.account_manager), "/api/v1/applications/",
                    person(county=zz.county.code, channel="hall", contact_phone="13912345678"))
    app_id = response.json()["id"]
    post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept")
    sms = OutboxMessage.objects.filter(kind="accepted", channel="sms").get()
    assert sms.user is None and sms.contact_name == "王芳" and sms.status == "pending"


def test_a_rolled_back_step_sends_nothing(zz, travel):
    travel(at(2026, 9, 28, 10))
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", enterprise(county=zz.county.code)).json()["id"]
    application = Application.objects.get(pk=app_id)
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.application_accept(application=application, by=zz.account_manager)
        raise RuntimeError("crash after the action, before commit")
    assert not OutboxMessage.objects.exists()


def test_staff_get_warning_overdue_and_escalated_once(zz, travel):
    travel(at(2026, 11, 2, 10))
    body = enterprise(county=zz.county.code, supply="dual", capacity_kva="2500", important=True)
    app_id = post(as_user(zz.applicant), "/api/v1/applications/", body).json()["id"]
    accepted = post(as_user(zz.account_manager), f"/api/v1/applications/{app_id}/accept").json()
    due = dt.date.fromisoformat(stage(accepted, "scheme_reply")["due_date"])
    late = due + dt.timedelta(days=1)
    while not get_schedule().is_working(late):
        late += dt.timedelta(days=1)
    day_before = due - dt.timedelta(days=1)
    while not get_schedule().is_working(day_before):
        day_before -= dt.timedelta(days=1)
    travel(dt.datetime.combine(day_before, dt.time(8), tzinfo=at(2026, 1, 1).tzinfo))
    actions.stages_check_deadlines()
    travel(dt.datetime.combine(late, dt.time(8), tzinfo=at(2026, 1, 1).tzinfo))
    actions.stages_check_deadlines()
    actions.stages_check_deadlines()
    assert kinds(zz.designer).count("warning") == 1
    assert kinds(zz.designer).count("overdue") == 1
    assert kinds(zz.designer).count("escalated") == 1  # the handler hears of the 督办 too
    [escalated] = inbox(zz.supervisor, kind="escalated")
    assert "督办" in escalated.text and due.isoformat() in escalated.text
    for message in inbox(zz.designer) + inbox(zz.supervisor):
        readable(message)
    assert Stage.objects.get(application_id=app_id, code="scheme_reply").alert == "overdue"
    assert outbox.unread_count(zz.supervisor) == 1
