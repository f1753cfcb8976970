"""In a real browser, on a phone (390 px) and a desk (1280 px): an applicant complains about
their application; the county supervisor answers in the workbench; the applicant is told,
answers "not satisfied"; the case is reopened with a fresh clock, answered again, and the
applicant confirms it closed."""
import pytest
from playwright.sync_api import expect

from applications.tests.conftest import at, person
from complaints.models import Complaint
from conftest import api_as, at_width, fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_complaint_is_answered_reopened_answered_again_and_confirmed(taierzhuang, page, screenshot, clock_at,
                                                                        login_as, width):
    team = taierzhuang
    at_width(page, width)
    clock_at(at(2026, 11, 23, 9))
    app_id = api_as(team.applicant, "/api/v1/applications/", person(county="370405"))["id"]
    api_as(team.account_manager, f"/api/v1/applications/{app_id}/accept")

    # The applicant complains on the application page.
    login_as(team.applicant)
    page.goto(f"/me/applications/{app_id}/")
    page.get_by_label("投诉内容").fill("客户经理未按约上门勘查")
    page.get_by_role("button", name="提交投诉").click()
    page.wait_for_url(f"**/me/applications/{app_id}/?done=complaint*")
    expect(page.get_by_role("status")).to_contain_text("投诉已提交")
    complaint = Complaint.objects.get(application_id=app_id)
    case = page.locator(f"#c{complaint.pk}")
    expect(case).to_contain_text("处理中")
    expect(case).to_contain_text(f"{complaint.due_date:%Y-%m-%d}")
    fits(page, width)
    screenshot(f"complaint-filed-{width}")

    # The county supervisor finds it in the workbench list with its clock and answers it.
    clock_at(at(2026, 11, 24, 10))
    login_as(team.supervisor)
    page.goto("/work/complaints/")
    row = page.locator("tr", has_text=complaint.number)
    expect(row).to_contain_text("台儿庄区")
    expect(row).to_contain_text(f"{complaint.due_date:%Y-%m-%d}")
    fits(page, width)
    screenshot(f"complaint-workbench-list-{width}")
    row.get_by_role("link", name=complaint.number).click()
    page.wait_for_url(f"**/work/complaints/{complaint.pk}/")
    page.get_by_label("答复内容").fill("已致歉，约定11月25日上门勘查。")
    page.get_by_role("button", name="发送答复").click()
    page.wait_for_url("**?done=reply")
    expect(page.get_by_role("status")).to_contain_text("已答复")
    fits(page, width)
    screenshot(f"complaint-replied-workbench-{width}")

    # The applicant hears of the answer, reads it and is not satisfied.
    clock_at(at(2026, 11, 26, 10))
    login_as(team.applicant)
    page.goto("/me/messages/")
    expect(page.locator(".messages li").first).to_contain_text(complaint.number)
    page.locator(".messages li").first.get_by_role("link", name="查看详情").click()
    page.wait_for_url("**/me/complaints/**")
    case = page.locator(f"#c{complaint.pk}")
    expect(case).to_contain_text("约定11月25日上门勘查")
    case.get_by_label("不满意，请重新处理").check()
    case.get_by_label("补充说明（不满意时必填）").fill("到今天还没有人来")
    case.get_by_role("button", name="提交确认").click()
    page.wait_for_url("**done=reopened*")
    expect(page.get_by_role("status")).to_contain_text("已重新提交")
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.OPEN and complaint.reopened == 1
    expect(page.locator(f"#c{complaint.pk}")).to_contain_text("已重新处理 1 次")
    screenshot(f"complaint-reopened-{width}")

    # Reopened: back in the supervisor's list with a fresh clock; answered again.
    login_as(team.supervisor)
    page.goto(f"/work/complaints/{complaint.pk}/")
    expect(page.get_by_text("已重新处理 1 次")).to_be_visible()
    expect(page.locator(".due")).to_have_text(f"{complaint.due_date:%Y-%m-%d}")
    page.get_by_label("答复内容").fill("今日已上门勘查完毕，再次致歉。")
    page.get_by_role("button", name="发送答复").click()
    page.wait_for_url("**?done=reply")

    # The applicant confirms: the case is closed, with the whole exchange on it.
    login_as(team.applicant)
    page.goto("/me/complaints/")
    case = page.locator(f"#c{complaint.pk}")
    case.get_by_label("满意，确认办结").check()
    case.get_by_role("button", name="提交确认").click()
    page.wait_for_url("**done=confirmed*")
    expect(page.get_by_role("status")).to_contain_text("投诉已办结")
    case = page.locator(f"#c{complaint.pk}")
    expect(case).to_contain_text("已办结")
    for said in ("客户经理未按约上门勘查", "约定11月25日上门勘查", "到今天还没有人来", "今日已上门勘查完毕"):
        expect(case).to_contain_text(said)
    expect(case.get_by_role("button", name="提交确认")).to_have_count(0)
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.CLOSED and complaint.satisfied is True
    fits(page, width)
    screenshot(f"complaint-confirmed-{width}")
