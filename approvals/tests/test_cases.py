"""Parallel approval: one submission, one case per department on the legal clock; decisions,
overdue escalation, the filing dossier, and the completion push after the works."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role
from applications.models import Application
from applications.tests.conftest import PASSWORD, at, county_team, enterprise, person, policies, travel  # noqa: F401 (fixtures)
from applications.tests.test_flows import as_user, post
from approvals import actions, queries
from approvals.document import DOSSIER_NAMES
from approvals.models import CaseStatus, RequestStatus
from core.errors import Conflict, Forbidden, NotFound, PolicyViolation
from core.models import Event, OutboxMessage

pytestmark = pytest.mark.django_db
DEPARTMENTS = {
    "natural_resources": "自然资源和规划局",
    "housing_construction": "住房和城乡建设局",
    "roads": "交通运输局",
    "greening": "林业和绿化局",
    "traffic_police": "公安交警支队",
    "administrative_approval": "行政审批服务局",
}


def departments(team, slug):
    """Each department's office in the city, with an officer and a supervisor."""
    from conftest import BUILT_AT

    city = team.county.parent
    out = {}
    with time_machine.travel(BUILT_AT, tick=False):
        for code, name in DEPARTMENTS.items():
            office = accounts.organisation_create(code=f"{slug}-{code}".replace("_", "-"), name=f"{city.name}{name}",
                                                  kind=Organisation.Kind.GOV_DEPARTMENT, division=city, department=code)
            officer = accounts.user_create(username=f"{slug}_{code}", password=PASSWORD, role=Role.GOV_OFFICER,
                                           organisation=office, display_name=f"{name}经办人")
            chief = accounts.user_create(username=f"{slug}_{code}_chief", password=PASSWORD,
                                         role=Role.GOV_SUPERVISOR, organisation=office, display_name=f"{name}负责人")
            out[code] = SimpleNamespace(office=office, officer=officer, chief=chief)
    return SimpleNamespace(**out)


@pytest.fixture
def zj(db, policies):
    team = county_team(region="zhejiang", province_code="330000", province="浙江省", city_code="330100", city="杭州市",
                       city_group="hangzhou_ningbo", county_code="330106", county="西湖区", slug="xh")
    team.gov = departments(team, "hz")
    return team


@pytest.fixture
def zz(db, policies):
    team = county_team(region="zaozhuang", province_code="370000", province="山东省", city_code="370400", city="枣庄市",
                       city_group="taierzhuang_gaoxin", county_code="370405", county="台儿庄区", slug="tez")
    team.gov = departments(team, "zz")
    return team


def accepted(team, travel, body) -> Application:
    travel(at(2026, 11, 23, 9))
    app_id = post(as_user(team.applicant), "/api/v1/applications/", {"county": team.county.code, **body}).json()["id"]
    post(as_user(team.account_manager), f"/api/v1/applications/{app_id}/accept")
    return Application.objects.get(pk=app_id)


def test_a_10kv_case_goes_to_three_departments_at_once_and_one_is_late(zj, travel):
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路90号"))
    travel(at(2026, 11, 23, 10))  # Monday
    request = actions.request_submit(application=application, by=zj.account_manager, kw=800, length_m=1500,
                                     crossings=["city_road"])
    cases = {c.department: c for c in request.cases.all()}
    assert set(cases) == {"natural_resources", "housing_construction", "traffic_police"}
    # Zhejiang 10 kV: 10 working days (→ 12-07) and 7 days (→ 11-30); the earlier binds for every case.
    assert {c.due_date for c in cases.values()} == {dt.date(2026, 11, 30)}
    assert request.status == RequestStatus.IN_APPROVAL and request.rule == "approvals.limits.hv_10_20kv"
    # Every office's officer and supervisor get the new case in their messages.
    opened = OutboxMessage.objects.filter(kind="approval_case_opened", channel="inapp")
    assert {m.user for m in opened} == {getattr(zj.gov, d).officer for d in cases} | {getattr(zj.gov, d).chief for d in cases}
    assert all("2026年11月30日前办结" in m.text for m in opened)

    # Each officer sees only their own department's case.
    police = zj.gov.traffic_police.officer
    assert [r.case.department for r in queries.workbench(police, today=dt.date(2026, 11, 23))] == ["traffic_police"]
    with pytest.raises(NotFound):
        queries.case_for(police, cases["natural_resources"].pk)
    with pytest.raises(Forbidden):
        actions.case_decide(case=cases["natural_resources"], by=police, decision="approved")
    assert not queries.visible_cases(zj.gov.greening.officer).exists()

    travel(at(2026, 11, 25, 15))
    actions.case_decide(case=cases["natural_resources"], by=zj.gov.natural_resources.officer, decision="approved")
    actions.case_decide(case=cases["traffic_police"], by=police, decision="approved_with_conditions",
                        conditions="夜间22时至次日6时施工，设置交通疏导标志")

    # Tuesday 12-01: the housing department missed Monday's due date; the sweep escalates once.
    travel(at(2026, 12, 1, 8))
    assert actions.cases_check_overdue() == {"escalated": 1}
    assert actions.cases_check_overdue() == {"escalated": 0}
    late = cases["housing_construction"]
    late.refresh_from_db()
    assert late.overdue and late.escalated_at is not None and late.status == CaseStatus.PENDING
    escalation = Event.objects.get(verb="approval_case.escalated")
    assert escalation.data["department"] == "housing_construction"
    assert escalation.data["to"] == ["住房和城乡建设局负责人"]
    assert OutboxMessage.objects.filter(kind="approval_case_escalated", channel="inapp").get().user == \
        zj.gov.housing_construction.chief
    chief_rows = queries.workbench(zj.gov.housing_construction.chief, today=dt.date(2026, 12, 1))
    assert [(r.case.department, r.overdue, r.workdays_left) for r in chief_rows] == [("housing_construction", True, -1)]
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_APPROVAL

    actions.case_decide(case=late, by=zj.gov.housing_construction.officer, decision="approved")
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    told = OutboxMessage.objects.filter(kind="approval_decided", user=zj.applicant, channel="inapp")
    assert told.count() == 3 and any("夜间22时" in m.text for m in told)
    late.refresh_from_db()
    assert late.overdue  # decided late stays late


def test_a_rejection_needs_a_reason_and_rejects_the_request(zj, travel):
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路91号"))
    request = actions.request_submit(application=application, by=zj.account_manager, kw=800, length_m=900,
                                     crossings=["green_space"])
    case = request.cases.get(department="greening")
    officer = zj.gov.greening.officer
    with pytest.raises(Exception) as caught:
        actions.case_decide(case=case, by=officer, decision="rejected", reason=" ")
    assert caught.value.fields == {"reason": "必填"}
    with pytest.raises(Exception) as caught:
        actions.case_decide(case=case, by=officer, decision="approved_with_conditions")
    assert "conditions" in caught.value.fields
    actions.case_decide(case=case, by=officer, decision="rejected", reason="线路穿越古树保护范围，请调整路径")
    with pytest.raises(Conflict):
        actions.case_decide(case=case, by=officer, decision="approved")
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    # A new route may be submitted after a rejection; not while one is in approval.
    again = actions.request_submit(application=application, by=zj.account_manager, kw=800, length_m=900)
    with pytest.raises(Conflict):
        actions.request_submit(application=application, by=zj.account_manager, kw=800, length_m=900)
    assert again.cases.count() == 1


def test_the_applicant_and_other_counties_see_only_what_is_theirs(zj, travel):
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路92号"))
    request = actions.request_submit(application=application, by=zj.account_manager, kw=800, length_m=900)
    assert queries.request_for(zj.applicant, request.pk) == request
    stranger = accounts.user_create(username="stranger", password=PASSWORD, role=Role.APPLICANT)
    with pytest.raises(NotFound):
        queries.request_for(stranger, request.pk)
    with pytest.raises(Forbidden):
        actions.request_submit(application=application, by=zj.applicant, kw=1, length_m=1)


def test_zaozhuang_lv_exempt_opens_no_case(zz, travel):
    application = accepted(zz, travel, person(voltage_kv="0.38", capacity_kva="100", residential=False,
                                              sanling=True, site_address="台儿庄区古城路9号"))
    request = actions.request_submit(application=application, by=zz.account_manager, kw=100, length_m=120,
                                     sanling=True)
    assert request.exempt and request.status == RequestStatus.EXEMPT and request.routes == ["exempt"]
    assert request.cases.count() == 0 and request.due_date is None


def tiny_pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")


def test_filing_dossier_certificate_restoration_and_a_completion_push_overdue(zz, travel):
    application = accepted(zz, travel, person(voltage_kv="0.38", capacity_kva="100", residential=False,
                                              sanling=True, site_address="台儿庄区古城路10号"))
    request = actions.request_submit(application=application, by=zz.account_manager, kw=100, length_m=120,
                                     sanling=True, crossings=["city_road"])
    assert request.routes == ["notification_commitment", "advance_notice"]
    manager = zz.account_manager
    with pytest.raises(PolicyViolation):
        actions.dossier_upload(request=request, by=manager, doc_type="commitment_letter", upload=tiny_pdf())
    with pytest.raises(Conflict) as caught:
        actions.filing_issue(request=request, by=manager)
    assert DOSSIER_NAMES["construction_plan"] in caught.value.fields["dossier"]  # named, as the page shows it
    for doc_type in ("construction_plan", "traffic_plan", "road_works_agreement"):
        actions.dossier_upload(request=request, by=manager, doc_type=doc_type, upload=tiny_pdf(f"{doc_type}.pdf"))
    request = actions.filing_issue(request=request, by=manager)
    assert request.filing_number == f"BA{request.number}"

    for case in request.cases.all():
        office = getattr(zz.gov, case.department)
        actions.case_decide(case=case, by=office.officer, decision="approved")
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED

    travel(at(2026, 12, 10, 9))
    with pytest.raises(Conflict):
        actions.restoration_record(request=request, by=manager, restored_on=dt.date(2026, 12, 10), note="已恢复")
    request = actions.works_complete(request=request, by=manager, completed_on=dt.date(2026, 12, 9))
    # Three months after 2026-12-09 is 2027-03-09 (a Tuesday).
    assert request.completion_push_due == dt.date(2027, 3, 9)
    request = actions.restoration_record(request=request, by=manager, restored_on=dt.date(2026, 12, 10),
                                         note="人行道按原标准恢复，绿地补植")
    assert request.restored_on == dt.date(2026, 12, 10)

    travel(at(2027, 3, 9, 18))
    assert not queries.completion_push_overdue(zz.supervisor, today=dt.date(2027, 3, 9)).exists()
    travel(at(2027, 3, 10, 9))
    assert list(queries.completion_push_overdue(zz.supervisor, today=dt.date(2027, 3, 10))) == [request]
    request = actions.completion_push(request=request, by=manager, survey="竣工测量：电缆路径120米，埋深0.8米")
    pushed = Event.objects.get(verb="approval.completion_pushed")
    assert pushed.data["late"] is True
    assert "zz-administrative-approval" in pushed.data["to"]
    pushes = OutboxMessage.objects.filter(kind="approval_completion_push", channel="inapp")
    assert zz.gov.administrative_approval.officer in {m.user for m in pushes}
    assert all("竣工测量" in m.text for m in pushes)
    assert not queries.completion_push_overdue(zz.supervisor, today=dt.date(2027, 3, 10)).exists()


def test_the_api_submits_lists_and_decides(zj, travel):
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路93号"))
    staff = as_user(zj.account_manager)
    body = {"application_id": application.pk, "kw": 800, "length_m": 900, "crossings": ["trees"]}
    created = post(staff, "/api/v1/approvals/requests", body)
    assert created.status_code == 201, created.content
    assert [c["department"] for c in created.json()["cases"]] == ["natural_resources", "greening"]
    again = post(staff, "/api/v1/approvals/requests", body)
    assert again.status_code == 400 and again.json()["error"]["fields"] == {"application": "审批进行中"}
    bad = post(staff, "/api/v1/approvals/requests", {**body, "kw": -1})
    assert bad.status_code == 422 and "kw" in bad.json()["error"]["fields"]
    officer = as_user(zj.gov.greening.officer)
    listed = officer.get("/api/v1/approvals/cases").json()
    assert [c["department"] for c in listed["items"]] == ["greening"]
    case_id = listed["items"][0]["id"]
    other = created.json()["cases"][0]["id"]
    assert post(officer, f"/api/v1/approvals/cases/{other}/decide", {"decision": "approved"}).status_code == 404
    refused = post(officer, f"/api/v1/approvals/cases/{case_id}/decide", {"decision": "rejected"})
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {"reason": "必填"}
    done = post(officer, f"/api/v1/approvals/cases/{case_id}/decide", {"decision": "approved"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    timed = as_user(zj.applicant).get(f"/api/v1/approvals/process-time/{application.pk}").json()
    assert timed["unit"] == "day" and timed["finished"] is False
