"""In a real browser: an applicant logs in, applies for a LV connection, reads the policy
preview before submitting, and lands on the progress page."""
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import rules
from applications.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_an_applicant_applies_for_a_lv_connection_in_the_browser(taierzhuang, page, screenshot):
    page.goto("/me/login/")
    page.get_by_label("用户名、手机号码或电子邮箱").fill("tez_customer")
    page.get_by_label("密码").fill("correct-horse-42")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/me/")
    assert page.get_by_role("link", name=re.compile("申请用电")).is_visible()

    page.get_by_role("link", name=re.compile("申请用电")).click()
    page.wait_for_url("**/me/apply/")
    page.get_by_label("用电地址所在区县").select_option("370405")
    page.get_by_label("用电地址", exact=True).fill("台儿庄区古城路8号")
    page.get_by_label("地区类别").select_option("urban")
    page.get_by_label("用电容量（kW）").fill("8")
    page.get_by_label("居民生活用电").check()
    page.get_by_label("申请人类型").select_option("person")
    page.get_by_label("申请人（姓名或企业名称）").fill("王芳")
    page.get_by_label("居民身份证号码").fill("11010519491231002X")
    preview = page.locator("#preview")
    # Each change re-renders the preview; wait for the one that saw every field.
    residential = rules.document(rules.version_in_force("zaozhuang", timezone.localdate())).categories["lv_residential"]
    expect(preview.get_by_test_id("category")).to_have_text(residential.name)
    expect(preview.get_by_test_id("zero-investment")).to_contain_text("适用")
    assert "已有，免提交" not in preview.inner_text()
    # The kW typed is shown in kVA under the field, as the application will store it.
    expect(page.get_by_test_id("capacity-kva")).to_contain_text("kVA")
    assert "用电人有效身份证明" in preview.inner_text()
    screenshot("portal-apply")

    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/me/applications/\d+/$"))
    application = Application.objects.get(applicant_user=taierzhuang.applicant)
    assert application.channel == "online" and application.category == "lv_residential"
    assert page.get_by_role("heading", name="办理进度").is_visible()
    assert application.number in page.content()
    screenshot("portal-application")

    page.get_by_role("link", name="← 我的办电").click()
    page.wait_for_url("**/me/")
    expect(page.get_by_role("link", name=re.compile(application.number))).to_be_visible()
    screenshot("portal-home")

    # Phone width: every portal page reflows instead of scrolling sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/me/", "/me/apply/", f"/me/applications/{application.pk}/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
