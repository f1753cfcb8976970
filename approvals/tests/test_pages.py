"""The pages: staff route and submit, the department workbench decides, the applicant follows."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from applications.tests.conftest import at, enterprise, person, policies, travel  # noqa: F401 (fixtures)
from applications.tests.test_flows import as_user
from approvals import actions
from approvals.models import ApprovalRequest, CaseStatus
from approvals.tests.test_cases import accepted, tiny_pdf, zj, zz  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_staff_preview_then_submit_a_10kv_route(zj, travel):
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路100号"))
    staff = as_user(zj.account_manager)
    page = staff.get(f"/work/applications/{application.pk}/")
    assert "登记工程并确定审批方式" in page.content.decode()
    url = f"/approvals/route/{application.pk}/"
    bad = staff.post(url, {"kw": "-3", "length_m": "", "preview": "1"})
    assert bad.status_code == 422 and "必填" in bad.content.decode()
    preview = staff.post(url, {"kw": "800", "length_m": "1500", "crossings": ["city_road"], "preview": "1"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "并联审批" in text and "住房和城乡建设部门" in text
    assert "2026-11-30" in text and "多个时限以先到期者为准" in text
    assert not ApprovalRequest.objects.exists()
    done = staff.post(url, {"kw": "800", "length_m": "1500", "crossings": ["city_road"], "submit": "1"})
    approval = ApprovalRequest.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/approvals/requests/{approval.pk}/"
    page = staff.get(done["Location"]).content.decode()
    assert "杭州市公安交警支队" in page and "审批中" in page


def test_department_decides_in_its_workbench_and_the_applicant_sees_it(zj, travel):
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路101号"))
    approval = actions.request_submit(application=application, by=zj.account_manager, kw=800, length_m=900,
                                      crossings=["green_space"])
    greening = as_user(zj.gov.greening.officer)
    board = greening.get("/approvals/").content.decode()
    assert approval.number in board
    case = approval.cases.get(department="greening")
    other = approval.cases.get(department="natural_resources")
    assert f"/approvals/cases/{case.pk}/" in board and f"/approvals/cases/{other.pk}/" not in board
    assert greening.get(f"/approvals/cases/{other.pk}/").status_code == 404
    refused = greening.post(f"/approvals/cases/{case.pk}/", {"decision": "rejected", "reason": ""})
    assert refused.status_code == 422 and "必填" in refused.content.decode()
    ok = greening.post(f"/approvals/cases/{case.pk}/", {"decision": "approved_with_conditions",
                                                         "conditions": "补植同等数量乔木"})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED_WITH_CONDITIONS
    portal = as_user(zj.applicant).get(f"/me/applications/{application.pk}/").content.decode()
    assert "电力接入工程审批" in portal and "附条件批准" in portal and "补植同等数量乔木" in portal
    assert "杭州市自然资源和规划局：审批中" in portal
    assert "green_space" not in portal and "approved_with_conditions" not in portal


def test_filing_certificate_pdf(zz, travel):
    application = accepted(zz, travel, person(voltage_kv="0.38", capacity_kva="100", residential=False,
                                              sanling=True, site_address="台儿庄区古城路11号"))
    approval = actions.request_submit(application=application, by=zz.account_manager, kw=100, length_m=120,
                                      sanling=True, crossings=["trees"])
    staff = as_user(zz.account_manager)
    for doc_type in ("construction_plan", "traffic_plan", "road_works_agreement"):
        response = staff.post(f"/approvals/requests/{approval.pk}/dossier/", {"doc_type": doc_type, "file": tiny_pdf()})
        assert response.status_code == 302
    assert staff.post(f"/approvals/requests/{approval.pk}/filing/").status_code == 302
    approval.refresh_from_db()
    pdf = staff.get(f"/approvals/requests/{approval.pk}/filing.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert approval.filing_number in text and "本证明张贴于施工地点后即可开工" in text and "树木采伐" in text


def test_overdue_cases_appear_in_the_supervisors_overview(zj, travel):
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路102号"))
    approval = actions.request_submit(application=application, by=zj.account_manager, kw=800, length_m=900)
    travel(at(2026, 12, 2, 9))  # past the 7-day limit (11-30)
    actions.cases_check_overdue()
    page = as_user(zj.supervisor).get("/work/overview/").content.decode()
    assert "电力接入工程审批超期清单" in page and approval.number in page and "已报部门负责人" in page
