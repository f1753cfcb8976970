"""In a real browser: staff route an LV works in Zaozhuang and a 10 kV works in Zhejiang, the
departments decide in their workbench, and each applicant follows it in the portal."""
import pytest
from playwright.sync_api import expect

from applications import actions as applications
from applications.tests.conftest import at, county_team, enterprise, person
from approvals.models import ApprovalRequest, CaseStatus
from approvals.tests.test_cases import departments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def accepted(team, body):
    application, _ = applications.application_create(
        by=team.applicant, data=applications.ApplicationInput(**{**body, "county": team.county.code}))
    applications.application_accept(application=application, by=team.account_manager)
    return application


def route_in_browser(page, login_as, staff, application, *, kw, length, crossing):
    login_as(staff)
    page.goto(f"/work/applications/{application.pk}/")
    page.get_by_role("link", name="登记工程并确定审批方式").click()
    page.get_by_label("报装容量（千瓦）").fill(kw)
    page.get_by_label("管线长度（米）").fill(length)
    page.get_by_label(crossing, exact=True).check()
    page.get_by_role("button", name="预览审批方式").click()
    expect(page.locator("#preview")).to_be_visible()
    page.get_by_role("button", name="提交审批").click()
    expect(page.locator("#request-status")).to_have_text("部门审批中")
    return ApprovalRequest.objects.get(application=application)


def decide_in_workbench(page, login_as, officer, approval, decision, *, text_label=None, text=""):
    login_as(officer)
    page.goto("/approvals/")
    expect(page.get_by_role("heading", name="部门审批工作台")).to_be_visible()
    rows = page.locator("#cases tbody tr")
    expect(rows).to_have_count(1)  # only this department's case
    rows.get_by_role("link", name=approval.number).click()
    page.get_by_label(decision, exact=True).check()
    if text_label:
        page.get_by_label(text_label).fill(text)
    page.get_by_role("button", name="提交决定").click()
    expect(page.get_by_role("status")).to_contain_text("审批决定已提交")


def test_staff_route_departments_decide_applicants_follow(taierzhuang, page, screenshot, clock_at, login_as):
    zz = taierzhuang
    zz.gov = departments(zz, "zz")
    zj = county_team(region="zhejiang", province_code="330000", province="浙江省", city_code="330100", city="杭州市",
                     city_group="hangzhou_ningbo", county_code="330106", county="西湖区", slug="xh")
    zj.gov = departments(zj, "hz")
    clock_at(at(2026, 11, 23, 10))
    lv = accepted(zz, person(voltage_kv="0.38", capacity_kva="100", residential=False, sanling=True,
                             site_address="台儿庄区古城路12号"))
    hv = accepted(zj, enterprise(site_address="西湖区文三路200号"))

    # Zaozhuang LV 三零 works crossing a green space: 告知承诺 or 3 days' advance notice.
    lv_request = route_in_browser(page, login_as, zz.account_manager, lv, kw="100", length="120", crossing="城市绿地")
    expect(page.locator(".routing")).to_contain_text("告知承诺")
    expect(page.locator("#request-cases")).to_contain_text("枣庄市林业和绿化局")
    screenshot("approvals-lv-request")

    # Zhejiang 10 kV crossing a city road: parallel approval; 7 days binds over 10 working days.
    hv_request = route_in_browser(page, login_as, zj.account_manager, hv, kw="800", length="1500", crossing="其他城市道路")
    expect(page.locator(".routing")).to_contain_text("并联审批")
    expect(page.locator(".routing")).to_contain_text("2026-11-30")
    expect(page.locator("#request-cases tbody tr")).to_have_count(3)

    clock_at(at(2026, 11, 25, 10))
    decide_in_workbench(page, login_as, zz.gov.greening.officer, lv_request, "附条件批准",
                        text_label="批准条件（附条件批准时必填）", text="补植同等数量乔木")
    screenshot("approvals-case-decided")

    # A rejection without a reason is refused on the page, with the field named.
    login_as(zj.gov.housing_construction.officer)
    page.goto("/approvals/")
    page.locator("#cases").get_by_role("link", name=hv_request.number).click()
    page.get_by_label("不予批准", exact=True).check()
    page.get_by_role("button", name="提交决定").click()
    expect(page.locator(".has-error .error")).to_have_text("必填")
    page.get_by_label("不予批准的理由（不予批准时必填）").fill("施工期与道路大修冲突，请调整至12月后")
    page.get_by_role("button", name="提交决定").click()
    expect(page.get_by_role("status")).to_contain_text("审批决定已提交")
    assert hv_request.cases.get(department="housing_construction").status == CaseStatus.REJECTED

    # The applicants follow it in the portal, in Chinese.
    login_as(zz.applicant)
    page.goto(f"/me/applications/{lv.pk}/")
    panel = page.locator("#approvals")
    expect(panel).to_contain_text("枣庄市林业和绿化局：附条件批准")
    expect(panel).to_contain_text("补植同等数量乔木")
    expect(panel).to_contain_text("枣庄市交通运输局：审批中")
    screenshot("approvals-portal")
    login_as(zj.applicant)
    page.goto(f"/me/applications/{hv.pk}/")
    expect(page.locator("#approvals")).to_contain_text("不予批准")
    expect(page.locator("#approvals")).to_contain_text("施工期与道路大修冲突")
    expect(page.locator("#approvals")).to_contain_text("未通过审批")
