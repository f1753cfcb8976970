"""In a real browser, on the demo: the regulator signs in and lands on the overview, at 1280 px
and on a phone (390 px: the county table scrolls inside its panel, the page does not)."""
import pytest
import time_machine
from playwright.sync_api import expect

from applications import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_loaded(transactional_db):
    from conftest import BUILT_AT
    from policies.actions import policy_load
    from workdays.actions import calendar_sync

    with time_machine.travel(BUILT_AT, tick=False):
        calendar_sync()
        policy_load()
    demo.load(applications=30)


def test_the_regulator_lands_on_the_overview(demo_loaded, page, screenshot):
    page.goto("/me/login/")
    page.get_by_label("用户名、手机号码或电子邮箱").fill("regulator")
    page.get_by_label("密码").fill(demo.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/monitor/overview/")
    expect(page.get_by_role("heading", name="监管总览")).to_be_visible()
    expect(page.get_by_test_id("totals-shaanxi")).to_contain_text("在办申请")
    expect(page.locator("table tbody tr").first).to_be_visible()
    screenshot("monitor-overview-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("monitor-overview-390")
    page.get_by_role("link", name="全部指标与目标").click()
    page.wait_for_url("**/monitor/")
