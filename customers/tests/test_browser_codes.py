"""On a phone (390 px), in a real browser: 忘记密码 with a code, then 验证码登录."""
import re

import pytest
from playwright.sync_api import expect

from accounts import actions as accounts
from accounts.roles import Role
from core.channels import CHANNELS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13900000001"


def code_sent_to(destination: str) -> str:
    text = next(t for d, t in reversed(CHANNELS["console"].sent) if d == destination)
    return re.search(r"\d{6}", text).group(0)


def ask_for_a_code(page):
    page.get_by_label("注册时的手机号码或电子邮箱").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status")).to_contain_text("验证码已发送")
    page.get_by_label("验证码").fill(code_sent_to(PHONE))


def test_forgot_password_and_login_by_code_on_a_phone(page, screenshot):
    CHANNELS["console"].sent.clear()
    user = accounts.user_create(username="u_wangfang", password="old-long-secret-1", role=Role.APPLICANT,
                                display_name="王芳", phone=PHONE)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/me/login/")
    page.get_by_role("link", name="忘记密码？").click()
    page.wait_for_url("**/me/password/forgot/")
    ask_for_a_code(page)
    page.get_by_label("新密码", exact=True).fill("new-long-secret-2")
    page.get_by_label("再次输入新密码").fill("new-long-secret-2")
    screenshot("portal-password-reset-390")
    page.get_by_role("button", name="重置密码").click()
    expect(page.get_by_role("status")).to_contain_text("密码已重置")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("portal-password-reset-done-390")
    user.refresh_from_db()
    assert user.check_password("new-long-secret-2")

    page.get_by_role("link", name="去登录").click()
    page.get_by_role("link", name="短信验证码登录").click()
    page.wait_for_url("**/me/login/code/")
    ask_for_a_code(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("portal-login-code-390")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/me/")
    expect(page.get_by_role("link", name=re.compile("申请用电")).first).to_be_visible()
    screenshot("portal-login-code-done-390")
