"""In a real browser, with JavaScript off as many phones and print pipelines have it: a member
of the public opens each region's disclosure page from the index, reads stages, limits, fees,
the 三指定 ban and the hotlines, and reports a designated builder; the ledger export link works
for an energy bureau officer."""
import pytest
from playwright.sync_api import expect

from disclosure.models import ViolationReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGIONS = {"zaozhuang": "枣庄市", "zhejiang": "浙江省", "shaanxi": "陕西省"}


@pytest.fixture
def loaded(transactional_db):
    import time_machine

    from conftest import BUILT_AT
    from disclosure.actions import documents_load
    from ledger.actions import ledger_load
    from policies.actions import policy_load
    from workdays.actions import calendar_sync

    with time_machine.travel(BUILT_AT, tick=False):
        calendar_sync()
        policy_load()
        documents_load()
        ledger_load()


@pytest.fixture
def no_js_page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, locale="zh-CN", java_script_enabled=False,
                                           viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def test_the_public_reads_every_region_and_reports_a_designation_without_javascript(loaded, no_js_page):
    page = no_js_page
    for name in REGIONS.values():
        page.goto("/public/")
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"{name}“获得电力”信息公开")
        expect(page.locator("#process h3").first).to_be_visible()
        expect(page.locator("#fees")).to_contain_text("高可靠性供电费")
        expect(page.locator("#choice")).to_contain_text("不得以任何形式直接、间接或变相指定")
        expect(page.locator("#hotlines")).to_contain_text("12398")
        expect(page.locator("#grid")).to_contain_text("近期没有计划停电")
        page.emulate_media(media="print")
        expect(page.locator("nav.toc")).to_be_hidden()
        page.emulate_media(media="screen")
    page.goto("/public/zhejiang/")
    expect(page.locator("#library")).to_contain_text("浙发改能源〔2021〕177号")
    page.get_by_role("link", name="在线举报").click()
    page.get_by_label("指定设计、施工、供货单位（三指定）").check()
    page.get_by_label("情况说明").fill("办电时客户经理要求我们找他介绍的施工队")
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_role("status")).to_contain_text("已收到您的举报")
    report = ViolationReport.objects.get()
    assert report.region == "zhejiang" and report.kind == "designation"


def test_an_energy_bureau_officer_works_the_ledger_in_the_browser(loaded, page, login_as):
    from accounts import actions as accounts
    from accounts.models import Organisation
    from accounts.roles import Role

    shaanxi = accounts.division_create(code="610000", name="陕西省", level="province", policy_region="shaanxi")
    bureau = accounts.organisation_create(code="sx-nyj", name="陕西省能源局", kind=Organisation.Kind.ENERGY_BUREAU,
                                          division=shaanxi)
    officer = accounts.user_create(username="erin", password="correct-horse-42", role=Role.GOV_OFFICER,
                                   organisation=bureau, display_name="王主任")
    login_as(officer)
    page.goto("/ledger/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("陕西省“获得电力”工作任务台账")
    expect(page.locator("#task-60")).to_contain_text("做好总结推广")
    page.get_by_role("form", name="筛选").get_by_label("责任单位").select_option(label="能源监管机构")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator("#task-58 a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第 58 项")
    page.goto("/ledger/shaanxi/3/")
    expect(page.locator("body")).to_contain_text("尚无数据")
    with page.expect_download() as download:
        page.goto("/ledger/shaanxi/")
        page.get_by_role("link", name="导出 Excel（种子台账格式）").click()
    assert download.value.suggested_filename.startswith("ledger-shaanxi-")
