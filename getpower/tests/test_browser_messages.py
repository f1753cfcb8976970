"""In a real browser, on a phone (390 px) and a desk (1280 px): an applicant gets a message at
each step of a LV application — accepted, stage started, paused (what, by when), resumed, fee,
stage completed, energised — sees the unread count in the nav, marks one read in place and
then all of them read."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from applications import actions
from applications.models import Application
from applications.tests.conftest import at, person
from conftest import api_as, at_width, fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_an_applicant_hears_of_every_step_and_marks_the_messages_read(taierzhuang, page, screenshot, clock_at,
                                                                       login_as, width):
    team = taierzhuang
    at_width(page, width)
    clock_at(at(2026, 11, 23, 9))
    app_id = api_as(team.applicant, "/api/v1/applications/", person(county="370405"))["id"]
    login_as(team.applicant)

    def unread_is(n):
        page.goto("/me/messages/")
        expect(page.locator("#unread-count")).to_have_text(str(n))

    def latest_says(text):
        expect(page.locator(".messages li").first).to_contain_text(text)

    unread_is(0)
    expect(page.get_by_text("暂无消息")).to_be_visible()

    clock_at(at(2026, 11, 23, 14))
    api_as(team.account_manager, f"/api/v1/applications/{app_id}/accept")
    unread_is(2)
    latest_says("环节已开始")
    expect(page.get_by_text("已于 2026-11-23 受理")).to_be_visible()

    clock_at(at(2026, 11, 24, 10))
    application = Application.objects.get(pk=app_id)
    code = application.stages.get(seq=2).code
    api_as(team.account_manager, f"/api/v1/applications/{app_id}/stages/{code}/pause",
        {"reason": "customer_requested_date", "note": "请确认接电日期", "respond_by": "2026-11-30"})
    unread_is(3)
    latest_says("请确认接电日期")
    latest_says("2026-11-30")

    clock_at(at(2026, 11, 26, 10))
    api_as(team.account_manager, f"/api/v1/applications/{app_id}/stages/{code}/resume")
    unread_is(4)
    latest_says("已恢复计时")

    actions.fee_add(application=application, by=team.account_manager, item="延伸服务费", amount="120")
    unread_is(5)
    latest_says("¥120.00")

    clock_at(at(2026, 11, 27, 10))
    api_as(team.installer, f"/api/v1/applications/{app_id}/stages/{code}/complete", {"result": "已送电"})
    unread_is(7)
    latest_says("已于 2026-11-27 装表接电")
    fits(page, width)
    screenshot(f"messages-unread-{width}")

    # One marked read in place (htmx): the row and the nav count change without a reload.
    first = page.locator(".messages li").first
    first.get_by_role("button", name="标为已读").click()
    expect(page.locator("#unread-count")).to_have_text("6")
    expect(first).to_contain_text("已读")
    # Following a message's link opens the application and marks it read.
    page.locator(".messages li").nth(1).get_by_role("link", name="查看详情").click()
    page.wait_for_url(f"**/me/applications/{app_id}/")
    expect(page.locator("#unread-count")).to_have_text("5")

    page.goto("/me/messages/")
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_url("**/me/messages/")
    expect(page.locator("#unread-count")).to_have_text("0")
    expect(page.get_by_role("button", name="标为已读")).to_have_count(0)
    screenshot(f"messages-read-{width}")
    assert dt.date(2026, 11, 27).isoformat() in page.content()
