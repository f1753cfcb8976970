"""In a real browser: the supervisor of 台儿庄 reads October's dashboard (target against actual,
the monthly chart drawn by the vendored Chart.js), re-sorts the county ranking and drills down
from a number to the case behind it; the same page on a 390 px phone does not overflow."""
import pytest
from playwright.sync_api import expect

from applications.tests.conftest import at
from monitoring.models import ApplicationFact
from monitoring.tests.test_indicators import lv_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_targets_chart_ranking_and_drill_down(taierzhuang, page, clock_at, login_as, screenshot):
    zz = taierzhuang
    lv_home(zz, clock_at, submitted=at(2026, 9, 29, 9), completed=at(2026, 10, 8, 11))
    lv_home(zz, clock_at, submitted=at(2026, 10, 9, 9), completed=at(2026, 10, 20, 11), name="李强")
    clock_at(at(2026, 11, 2, 9))
    login_as(zz.supervisor)
    page.goto("/monitor/?region=zaozhuang&period=2026-10")
    expect(page.get_by_role("heading", name="获得电力指标监测")).to_be_visible()
    within = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="居民用户：电网环节逐案不超时限的比例", exact=True))
    expect(within).to_contain_text("50.0")
    expect(within).to_contain_text("不低于 100.0")
    expect(within).to_contain_text("未达标")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trend'))")
    assert page.evaluate("Chart.getChart(document.getElementById('trend')).data.labels.length") == 10
    screenshot("monitor-dashboard-1280")

    page.get_by_role("link", name="送电户数", exact=True).click()
    assert "sort=energised" in page.url
    expect(page.get_by_role("link", name="送电户数", exact=True)).to_have_attribute("aria-current", "true")
    expect(page.locator("#ranking + .table-wrap").get_by_role("row", name="台儿庄区")).to_contain_text("2")

    late = ApplicationFact.objects.get(stages_late=1).application.number
    on_time = ApplicationFact.objects.get(stages_late=0).application.number
    page.get_by_role("row").filter(has_text="存在超时环节的已送电案例数").get_by_role("link").click()
    expect(page.get_by_role("heading", name="指标背后的案例")).to_be_visible()
    expect(page.get_by_role("link", name=late)).to_be_visible()
    expect(page.get_by_role("link", name=on_time)).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/monitor/?region=zaozhuang&period=2026-10")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trend'))")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("monitor-dashboard-390")


def test_the_bureau_issues_a_bulletin_and_spot_checks_by_form(taierzhuang, page, clock_at, login_as, screenshot):
    from accounts import actions as accounts
    from accounts.models import Organisation
    from accounts.roles import Role

    zz = taierzhuang
    lv_home(zz, clock_at, submitted=at(2026, 10, 9, 9), completed=at(2026, 10, 20, 11), name="李强")
    clock_at(at(2026, 11, 2, 9))
    office = accounts.organisation_create(code="zz-energy", name="枣庄市能源局", kind=Organisation.Kind.ENERGY_BUREAU,
                                          division=zz.county.parent)
    bureau = accounts.user_create(username="zz_bureau", password="correct-horse-42", role=Role.ENERGY_BUREAU,
                                  organisation=office, display_name="周敏")
    login_as(bureau)
    page.goto("/monitor/bulletins/")
    page.get_by_label("地区").select_option("zaozhuang")
    page.get_by_label("期间").fill("2026-10")
    page.get_by_role("button", name="发布通报").click()
    expect(page.get_by_role("heading", name="枣庄市获得电力工作通报（2026年10月）")).to_be_visible()
    expect(page.get_by_role("row", name="台儿庄区")).to_contain_text("台儿庄区供电公司")
    screenshot("monitor-bulletin")

    page.get_by_role("navigation", name="监测与监督").get_by_role("link", name="抽查").click()
    page.get_by_label("区县").select_option("370405")
    page.get_by_label("期间").fill("2026-10")
    page.get_by_label("抽取案例数").fill("1")
    page.get_by_role("button", name="随机抽取").click()
    expect(page.get_by_role("heading", name="台儿庄区 2026-10 抽查")).to_be_visible()
    review = page.get_by_role("form", name="核查")
    review.get_by_label("核查结论").select_option("problem")
    review.get_by_label("核查发现").fill("受理时间晚于纸质资料日期")
    review.get_by_role("button", name="保存结论").click()
    expect(page.get_by_text("受理时间晚于纸质资料日期")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_text("受理时间晚于纸质资料日期")).to_be_visible()
    screenshot("monitor-spot-check-390")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
