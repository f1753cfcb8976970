"""The staff workbench pages, through the Django test client with the clock frozen:
every page renders for every staff role, jurisdiction answers 404, and the page
actions change state only through applications.actions (their events are the proof)."""
import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role
from applications import actions, rules
from applications.models import Application, Confirmation, Escalation, Pause, Stage, Status
from applications.tests import samples
from applications.tests.conftest import PASSWORD, at, enterprise, person
from core import labels
from core.models import Event
from workdays import clock
from workdays.schedule import get_schedule

pytestmark = pytest.mark.django_db

STAFF_ROLES = ["account_manager", "designer", "inspector", "installer", "supervisor", "regulator", "admin"]


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verbs(application) -> list[str]:
    return list(Event.objects.filter(subject_type="applications.application", subject_id=str(application.pk))
                .order_by("seq").values_list("verb", flat=True))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def overseers(zz):
    """A regulator over Shandong and an admin, beside the 台儿庄 county team."""
    from conftest import BUILT_AT

    with time_machine.travel(BUILT_AT, tick=False):
        province = zz.county.parent.parent
        regulator_org = accounts.organisation_create(code="nea-sd", name="国家能源局山东监管办",
                                                     kind=Organisation.Kind.REGULATOR, division=province)
        regulator = accounts.user_create(username="tez_regulator", password=PASSWORD, role=Role.REGULATOR,
                                         organisation=regulator_org)
        admin = accounts.user_create(username="tez_admin", password=PASSWORD, role=Role.ADMIN,
                                     organisation=zz.org.utility_root)
    zz.regulator, zz.admin = regulator, admin
    return zz


def hv_application(team, **overrides) -> Application:
    application, _ = actions.application_create(
        by=team.applicant, data=actions.ApplicationInput(**enterprise(county=team.county.code, **overrides)))
    return application


def accepted_hv(team, travel) -> Application:
    travel(at(2026, 9, 28, 10))
    application = hv_application(team)
    travel(at(2026, 9, 29, 10))
    return actions.application_accept(application=application, by=team.account_manager)


def test_queue_lists_my_stages_soonest_first_with_badges_and_filters(zz, zj, travel):
    travel(at(2026, 9, 28, 10))
    lv, _ = actions.application_create(by=zz.applicant,
                                       data=actions.ApplicationInput(**person(county=zz.county.code)))
    hv = hv_application(zz)
    travel(at(2026, 9, 29, 10))
    actions.application_accept(application=hv, by=zz.account_manager)
    # Another county's application never shows, not even to its own search.
    actions.application_create(by=zj.applicant, data=actions.ApplicationInput(
        **person(county=zj.county.code, site_address="西湖区文三路1号")))

    client = as_user(zz.account_manager)
    page = client.get("/work/")
    assert page.status_code == 200
    body = text(page)
    # The LV acceptance (due 9-29's next working day) comes before the HV project's later stages.
    assert lv.number in body and hv.number not in body or body.index(lv.number) < body.index(hv.number)
    assert "西湖区" not in body

    travel(at(2026, 10, 20, 10))  # long past the LV acceptance limit
    actions.stages_check_deadlines()
    client = as_user(zz.account_manager)  # three weeks on: a fresh session
    late = client.get("/work/", {"overdue": "1"}, headers={"HX-Request": "true"})
    assert late.status_code == 200
    assert 'id="queue-table"' in late.content.decode() and "<html" not in late.content.decode()
    assert lv.number in text(late)
    assert "超期" in text(late)
    on_time = client.get("/work/", {"overdue": "0", "status": "submitted"})
    assert lv.number not in text(on_time)


def test_applicants_go_to_the_portal_and_strangers_to_login(zz):
    assert as_user(zz.applicant).get("/work/").url == "/me/"
    anonymous = Client().get("/work/overview/")
    assert anonymous.status_code == 302 and anonymous.url.startswith("/me/login/?next=")


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_workbench_page_renders_for_each_staff_role(overseers, travel, role):
    team = overseers
    application = accepted_hv(team, travel)
    due = application.stages.get(code="scheme_reply").due_date
    travel(at(due.year, due.month, due.day, 10) + dt.timedelta(days=7))
    actions.stages_check_deadlines()
    assert Escalation.objects.filter(stage__application=application).exists()

    client = as_user(getattr(team, role))
    for url in ("/work/", "/work/?status=in_progress&overdue=1", f"/work/applications/{application.pk}/",
                "/work/overview/", "/work/escalations/", "/work/escalations/?state=open"):
        response = client.get(url)
        if role == "regulator" and url.startswith("/work/?") or role == "regulator" and url == "/work/":
            # No queue of their own: the regulator lands on the overview.
            assert response.status_code == 302 and response["Location"] == "/monitor/overview/"
            continue
        assert response.status_code == 200, (role, url, response.status_code)
    overview = text(client.get("/work/overview/"))
    assert team.county.name in overview and application.number in overview  # on the overdue list
    # 督办 is seen by those who oversee and by those who hold the late stage, not by bystanders.
    sees_escalation = role not in ("inspector", "installer")
    assert (application.number in text(client.get("/work/escalations/"))) is sees_escalation


def test_actions_shown_are_those_of_my_role(overseers, travel):
    application = accepted_hv(overseers, travel)
    url = f"/work/applications/{application.pk}/"
    designer = text(as_user(overseers.designer).get(url))
    assert "/complete/" in designer and "/schemes/" in designer
    assert "/reject/" not in designer and "/assign/" not in designer and "/fee/" not in designer
    regulator = text(as_user(overseers.regulator).get(url))
    assert "/complete/" not in regulator and "/reject/" not in regulator
    supervisor = text(as_user(overseers.supervisor).get(url))
    assert "/assign/" in supervisor and "/reject/" in supervisor


def test_another_county_gets_404_on_the_page_and_the_document(zz, zj, travel, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    travel(at(2026, 9, 28, 10))
    application = hv_application(zz)
    version = rules.version_in_force(application.region, dt.date(2026, 9, 28))
    doc_type = sorted(rules.allowed_documents(version, application.category, "acceptance"))[0]
    pdf = SimpleUploadedFile("licence.pdf", samples.PDF, content_type="application/pdf")
    document = actions.document_upload(application=application, by=zz.applicant, stage_code="acceptance",
                                       doc_type=doc_type, upload=pdf)
    doc_url = f"/work/applications/{application.pk}/documents/{document.pk}/"

    mine = as_user(zz.account_manager)
    page = mine.get(f"/work/applications/{application.pk}/")
    assert doc_url in page.content.decode()
    served = mine.get(doc_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("inline")
    assert b"".join(served.streaming_content).startswith(b"%PDF")

    stranger = as_user(zj.account_manager)
    assert stranger.get(f"/work/applications/{application.pk}/").status_code == 404
    assert stranger.get(doc_url).status_code == 404
    assert stranger.post(f"/work/applications/{application.pk}/reject/", {"reason": "x"}).status_code == 404
    assert mine.get(f"/work/applications/{application.pk}/documents/{document.pk + 999}/").status_code == 404
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_accept_complete_pause_resume_through_the_page(zz, travel):
    travel(at(2026, 9, 28, 10))
    application = hv_application(zz)
    base = f"/work/applications/{application.pk}/"

    travel(at(2026, 9, 29, 10))
    accepted = as_user(zz.account_manager).post(base + "accept/", {"result": "资料齐全"})
    assert accepted.status_code == 302 and accepted.url == base
    assert "application.accepted" in verbs(application)
    scheme = Stage.objects.get(application=application, code="scheme_reply")
    assert scheme.state == Stage.State.ACTIVE

    travel(at(2026, 10, 9, 16))
    designer = as_user(zz.designer)
    done = designer.post(base + "complete/", {"code": "scheme_reply", "result": "方案已答复"},
                         headers={"HX-Request": "true"})
    assert done.status_code == 200
    inspection = Stage.objects.get(application=application, code="completion_inspection")
    assert inspection.state == Stage.State.ACTIVE
    # The fragment tells the next stage's due date straight away.
    assert f"应于 {inspection.due_date:%Y-%m-%d} 前完成" in text(done)
    assert verbs(application).count("stage.completed") == 1  # acceptance is logged as application.accepted

    travel(at(2026, 10, 12, 9))
    inspector = as_user(zz.inspector)
    paused = inspector.post(base + "pause/", {"code": "completion_inspection", "reason": "customer_works",
                                              "note": "受电工程未完工"}, headers={"HX-Request": "true"})
    assert paused.status_code == 200
    assert Pause.objects.get(stage=inspection).reason == "customer_works"
    assert "stage.paused" in verbs(application)
    reason_name = rules.pause_reasons(Application.objects.get(pk=application.pk).policy_version)["customer_works"][0]
    assert reason_name in text(paused)

    travel(at(2026, 10, 16, 9))
    resumed = inspector.post(base + "resume/", {"code": "completion_inspection"}, headers={"HX-Request": "true"})
    assert resumed.status_code == 200
    inspection.refresh_from_db()
    workdays = Pause.objects.get(stage=inspection).workdays
    assert workdays == 4  # 10-13 .. 10-16
    assert inspection.due_date == clock.add(inspection.base_due, workdays, "workday", get_schedule())
    body = text(resumed)
    assert f"到期日由 {inspection.base_due:%Y-%m-%d} 顺延至 {inspection.due_date:%Y-%m-%d}" in body
    assert reason_name in body and "受电工程未完工" in body
    assert "stage.resumed" in verbs(application)

    # The page read afresh shows the same: the moved date with its reason.
    page = text(inspector.get(base))
    assert f"{inspection.due_date:%Y-%m-%d}" in page
    assert f"客户原因暂停 {workdays} 个工作日" in page


def test_refusals_appear_next_to_their_field(zz, travel):
    application = accepted_hv(zz, travel)
    base = f"/work/applications/{application.pk}/"
    designer = as_user(zz.designer)

    # Force majeure needs a supervisor's approval: the error sits by approved_by.
    refused = designer.post(base + "pause/", {"code": "scheme_reply", "reason": "force_majeure"},
                            headers={"HX-Request": "true"})
    assert refused.status_code == 200
    assert re.search(r'id="id_approved_by-error"[^>]*>[^<]*营销主管批准', refused.content.decode())
    assert not Pause.objects.filter(stage__application=application).exists()
    asked = designer.post(base + "pause/", {"code": "scheme_reply", "reason": "force_majeure",
                                            "approved_by": zz.supervisor.pk})
    assert asked.status_code == 302
    assert not Pause.objects.filter(stage__application=application).exists()
    # The supervisor approves it themselves, from their own queue.
    supervisor = as_user(zz.supervisor)
    waiting = Confirmation.objects.get(application=application, state="pending")
    assert f'id="confirmation-{waiting.pk}"' in supervisor.get("/work/").content.decode()
    supervisor.post(f"/work/confirmations/{waiting.pk}/confirm/")
    assert Pause.objects.get(stage__application=application).approved_by == zz.supervisor

    # A paused stage cannot be completed: the Conflict shows as the form's own error, 422 without htmx.
    conflict = designer.post(base + "complete/", {"code": "scheme_reply", "result": "方案"})
    assert conflict.status_code == 422
    assert "请先恢复计时" in conflict.content.decode()


def test_completion_inspection_needs_a_second_person_from_the_list(zz, travel):
    application = accepted_hv(zz, travel)
    actions.stage_complete(application=application, code="scheme_reply", by=zz.designer, result="方案")
    base = f"/work/applications/{application.pk}/"
    inspector = as_user(zz.inspector)
    page = inspector.get(base).content.decode()
    assert 'name="checked_by"' in page and labels.person(zz.second_inspector) in page
    needs = "completion_inspection" in rules.two_person_stages(Application.objects.get(pk=application.pk).policy_version,
                                                                application.category)
    assert needs
    alone = inspector.post(base + "complete/", {"code": "completion_inspection", "result": "合格",
                                                "checked_by": zz.inspector.pk}, headers={"HX-Request": "true"})
    assert "id_checked_by-error" in alone.content.decode()
    assert Stage.objects.get(application=application, code="completion_inspection").state == Stage.State.ACTIVE
    asked = inspector.post(base + "complete/", {"code": "completion_inspection", "result": "合格",
                                                "checked_by": zz.second_inspector.pk, "evidence_date": "2026-09-29"})
    assert asked.status_code == 302
    assert Stage.objects.get(application=application, code="completion_inspection").state == Stage.State.ACTIVE
    waiting = Confirmation.objects.get(application=application, state="pending")
    as_user(zz.second_inspector).post(f"/work/confirmations/{waiting.pk}/confirm/")
    stage = Stage.objects.get(application=application, code="completion_inspection")
    assert stage.checked_by == zz.second_inspector and stage.evidence_date == dt.date(2026, 9, 29)


def test_reject_needs_a_reason_and_then_closes_the_application(zz, travel):
    travel(at(2026, 9, 28, 10))
    application = hv_application(zz)
    base = f"/work/applications/{application.pk}/"
    manager = as_user(zz.account_manager)
    empty = manager.post(base + "reject/", {"reason": ""}, headers={"HX-Request": "true"})
    assert "id_reason-error" in empty.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    rejected = manager.post(base + "reject/", {"reason": "用电地址不在本供电营业区"})
    assert rejected.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert "application.rejected" in verbs(application)
    assert "用电地址不在本供电营业区" in text(manager.get(base))
    # A role without the permission is refused by the action, not only hidden by the page.
    travel(at(2026, 9, 28, 11))
    other = hv_application(zz, site_address="台儿庄区兴业路9号")
    as_user(zz.installer).post(f"/work/applications/{other.pk}/reject/", {"reason": "x"})
    assert Application.objects.get(pk=other.pk).status == Status.SUBMITTED
    assert "application.rejected" not in verbs(other)


def test_schemes_choice_project_and_fee_through_the_page(zz, travel):
    application = accepted_hv(zz, travel)
    base = f"/work/applications/{application.pk}/"
    application.refresh_from_db()
    boundary = sorted(rules.boundaries(application.policy_version, application.category, in_park=False))[0]
    designer = as_user(zz.designer)
    bad = designer.post(base + "schemes/", {"s0-label": "方案一", "s0-connection_point": "", "s0-boundary": boundary,
                                            "s0-customer_cost": "0", "s0-utility_cost": "0",
                                            "s1-boundary": boundary},
                        headers={"HX-Request": "true"})
    assert "id_s0-connection_point-error" in bad.content.decode()
    ok = designer.post(base + "schemes/", {
        "s0-label": "方案一", "s0-connection_point": "10kV兴业线#12杆", "s0-boundary": boundary,
        "s0-customer_cost": "0", "s0-utility_cost": "180000",
        "s1-label": "方案二", "s1-connection_point": "10kV古城线#3环网柜", "s1-boundary": boundary,
        "s1-customer_cost": "0", "s1-utility_cost": "260000"})
    assert ok.status_code == 302
    assert list(application.schemes.values_list("label", flat=True)) == ["方案一", "方案二"]
    manager = as_user(zz.account_manager)
    assert manager.post(base + "choose/", {"label": "方案二"}).status_code == 302
    assert application.schemes.get(chosen=True).label == "方案二"
    pm = as_user(zz.project_manager)
    assert pm.post(base + "project_open/", {"kind": "supporting_works", "name": "兴业路配套工程",
                                            "planned_end": "2026-12-20"}).status_code == 302
    project = application.grid_projects.get()
    backwards = pm.post(base + "project_update/", {"project": project.pk, "construction_start": "2026-11-10",
                                                   "construction_end": "2026-11-01"}, headers={"HX-Request": "true"})
    assert "id_construction_end-error" in backwards.content.decode()
    assert pm.post(base + "project_update/", {"project": project.pk, "filed_on": "2026-10-20"}).status_code == 302
    project.refresh_from_db()
    assert project.filed_on == dt.date(2026, 10, 20)
    assert manager.post(base + "fee/", {"item": "高可靠性供电费", "amount": "1200.00",
                                        "basis": "鲁价格发〔2016〕号"}).status_code == 302
    assert application.fees.get().amount == 1200
    assert {"scheme.proposed", "scheme.chosen", "project.opened", "project.updated", "fee.added"} <= set(
        verbs(application))


def test_supervisor_reassigns_within_the_company(zz, travel):
    application = accepted_hv(zz, travel)
    base = f"/work/applications/{application.pk}/"
    moved = as_user(zz.supervisor).post(base + "assign/", {"code": "scheme_reply", "assignee": zz.account_manager.pk})
    assert moved.status_code == 302
    assert Stage.objects.get(application=application, code="scheme_reply").assignee == zz.account_manager
    assert "stage.assigned" in verbs(application)
    # Not a user of the handling company: not a choice.
    outsider = as_user(zz.supervisor).post(base + "assign/", {"code": "scheme_reply", "assignee": zz.applicant.pk},
                                           headers={"HX-Request": "true"})
    assert "id_assignee-error" in outsider.content.decode()


def test_escalation_reply_by_staff_and_close_by_supervisor(zz, travel):
    application = accepted_hv(zz, travel)
    due = application.stages.get(code="scheme_reply").due_date
    travel(at(due.year, due.month, due.day, 10) + dt.timedelta(days=3))
    actions.stages_check_deadlines()
    escalation = Escalation.objects.get(stage__application=application)

    designer = as_user(zz.designer)  # the assignee of the late stage
    listing = text(designer.get("/work/escalations/"))
    assert application.number in listing and f"/work/escalations/{escalation.pk}/close/" not in listing
    empty = designer.post(f"/work/escalations/{escalation.pk}/reply/", {"reply": " "}, headers={"HX-Request": "true"})
    assert "role=\"alert\"" in empty.content.decode()
    replied = designer.post(f"/work/escalations/{escalation.pk}/reply/", {"reply": "已联系客户，明日答复方案"},
                            headers={"HX-Request": "true"})
    assert "已联系客户，明日答复方案" in text(replied)
    assert Escalation.objects.get(pk=escalation.pk).state == Escalation.State.REPLIED
    refused = designer.post(f"/work/escalations/{escalation.pk}/close/")
    assert refused.status_code == 422 and "您的角色无权办理此项" in refused.content.decode()
    assert Escalation.objects.get(pk=escalation.pk).state == Escalation.State.REPLIED

    closed = as_user(zz.supervisor).post(f"/work/escalations/{escalation.pk}/close/")
    assert closed.status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).state == Escalation.State.CLOSED
    assert {"escalation.replied", "escalation.closed"} <= set(verbs(application))


def test_home_shows_demo_logins_only_when_the_demo_is_loaded(zz):
    assert "getpower-demo" not in Client().get("/").content.decode()
    from conftest import BUILT_AT

    with time_machine.travel(BUILT_AT, tick=False):
        accounts.user_create(username="demo_admin", password=PASSWORD, role=Role.ADMIN, organisation=zz.org)
    home = Client().get("/").content.decode()
    assert "getpower-demo" in home
    assert "tez_account_manager" in home and 'href="/work/"' in home and 'href="/me/"' in home
