"""In a real browser: the applicant opens the contract of an accepted application, requests a
one-time code, mistypes it once, then signs."""
import pytest
from playwright.sync_api import expect

from applications import actions as applications
from applications.actions import ApplicationInput
from applications.tests.conftest import enterprise
from contracts.models import Contract
from contracts.tests.conftest import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]





def test_the_applicant_signs_the_supply_contract_in_the_browser(taierzhuang, page, screenshot, login_as):
    team = taierzhuang
    application, _ = applications.application_create(
        by=team.applicant, data=ApplicationInput(**enterprise(county=team.county.code)))
    applications.application_accept(application=application, by=team.account_manager)
    login_as(team.applicant)

    page.goto(f"/contracts/{application.pk}/")
    page.get_by_role("button", name="生成供用电合同").click()
    expect(page.locator("#contract-state")).to_have_text("待签署")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("验证码已发送")).to_be_visible()

    page.get_by_label("验证码（6 位数字）").fill("000000" if last_code(team.applicant.username) != "000000" else "111111")
    page.get_by_role("button", name="确认并签署").click()
    expect(page.locator("#sign-error")).to_contain_text("验证码错误")

    page.get_by_label("验证码（6 位数字）").fill(last_code(team.applicant.username))
    page.get_by_role("button", name="确认并签署").click()
    expect(page.locator("#contract-state")).to_have_text("已签署")
    expect(page.get_by_text("签署成功")).to_be_visible()
    screenshot("contract-sign")

    contract = Contract.objects.get(application=application)
    assert contract.state == Contract.State.SIGNED and contract.signature.signer == team.applicant
