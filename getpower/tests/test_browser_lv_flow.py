"""Both faces in one story, in a real browser: an applicant applies for a LV connection in
the portal, staff accept and complete both stages in the workbench, and the applicant sees
the finished progress and rates the service."""
import re

import pytest
from playwright.sync_api import expect

from applications.models import Application, Status
from applications.tests.conftest import at
from core import events
from customers.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]







def act(page, title, button, **fields):
    form = page.locator("form.action", has=page.get_by_role("heading", name=title))
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name=button).click()


def test_lv_application_from_portal_through_workbench_to_rating(taierzhuang, page, screenshot, clock_at,
                                                              login_as):
    team = taierzhuang
    clock_at(at(2026, 11, 23, 9))
    page.goto("/me/login/")
    page.get_by_label("用户名、手机号码或电子邮箱").fill("tez_customer")
    page.get_by_label("密码").fill("correct-horse-42")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/me/")
    page.goto("/me/apply/")
    page.get_by_label("用电地址所在区县").select_option("370405")
    page.get_by_label("用电地址", exact=True).fill("台儿庄区古城路18号")
    page.get_by_label("地区类别").select_option("town")
    page.get_by_label("用电容量（kW）").fill("10")
    page.get_by_label("居民生活用电").check()
    page.get_by_label("申请人类型").select_option("person")
    page.get_by_label("申请人（姓名或企业名称）").fill("王芳")
    page.get_by_label("居民身份证号码").fill("11010519491231002X")
    expect(page.locator("#preview").get_by_test_id("category")).to_have_text("居民用户")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/me/applications/\d+/$"))
    application = Application.objects.get(applicant_user=team.applicant)

    clock_at(at(2026, 11, 23, 14))
    login_as(team.account_manager)
    page.goto(f"/work/applications/{application.pk}/")
    act(page, "受理申请", "受理", 受理意见="资料齐全，受理")
    expect(page.get_by_role("status")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS

    clock_at(at(2026, 11, 24, 15))
    login_as(team.installer)
    page.goto(f"/work/applications/{application.pk}/")
    act(page, "施工接电 · 完成本环节", "完成", 办理结果="表计已装，已送电")
    expect(page.get_by_role("status")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Status.ENERGISED

    clock_at(at(2026, 11, 25, 10))
    page.context.clear_cookies()
    page.goto("/me/login/")
    page.get_by_label("用户名、手机号码或电子邮箱").fill("tez_customer")
    page.get_by_label("密码").fill("correct-horse-42")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/me/")
    page.goto(f"/me/applications/{application.pk}/")
    expect(page.get_by_role("heading", name="办理进度")).to_be_visible()
    expect(page.locator("body")).to_contain_text("施工接电")
    rating = page.locator("#rating")
    rating.get_by_label("5", exact=True).check()
    rating.get_by_label("评价内容（可选）").fill("两天就通电了")
    rating.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    screenshot("portal-energised-rated")
    assert Rating.objects.get(application=application).score == 5
    assert events.verify().ok
