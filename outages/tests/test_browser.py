"""In a real browser: a dispatcher reports a fault by form and restores it; the supervisor
reads the reliability page with its charts drawn by the vendored Chart.js."""
import pytest
from playwright.sync_api import expect

from outages.models import Outage
from outages.tests.conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fault_by_form_then_the_reliability_page_with_charts(grid, page, clock_at, login_as, screenshot):
    clock_at(at(2026, 4, 1, 10))
    login_as(grid.dan)
    page.goto("/outages/faults/new")
    page.get_by_label("区县").select_option("610113")
    page.get_by_label("原因类别").select_option("weather")
    page.get_by_label("停电范围").select_option("feeder")
    page.get_by_label("编号").fill("F1")
    page.get_by_label("名称").fill("科技路线雷击跳闸")
    page.get_by_role("button", name="登记并通知受影响用户").click()
    expect(page.get_by_role("heading", name="科技路线雷击跳闸")).to_be_visible()
    expect(page.get_by_text("科技路10kV线网格抢修班")).to_be_visible()
    clock_at(at(2026, 4, 1, 12))
    page.get_by_role("button", name="全部恢复送电").click()
    expect(page.get_by_role("status")).to_contain_text("已全部恢复送电")
    assert Outage.objects.get().status == "ended"

    login_as(grid.carol)
    page.goto("/outages/reliability/?year=2026&region=shaanxi")
    expect(page.get_by_role("heading", name="2026年供电可靠性")).to_be_visible()
    expect(page.get_by_role("row", name="陕西 · 西安市 · 市区")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('by-month'))")
    assert page.evaluate("Chart.getChart(document.getElementById('vs-target')).data.labels.length") >= 2
    screenshot("outages-reliability")
