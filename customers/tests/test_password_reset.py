"""忘记密码 and 验证码登录: a one-time code to the account's phone or mailbox. The answer is the
same whether an account has that contact; codes never reach a log outside DEBUG; and the
log-in by code stays behind django-axes like the password."""
import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from core.models import Event, OneTimeCode
from customers.tests.conftest import last_code

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-long-secret-42"
PHONE = "13900000001"
STRANGER = "13700000009"


@pytest.fixture
def alice(world):
    world.alice.phone = PHONE
    world.alice.save(update_fields=["phone"])
    return world.alice


def ask(client, path, contact, address="203.0.113.7"):
    return client.post(path, {"step": "contact", "contact": contact}, REMOTE_ADDR=address)


def reset(client, code, password=NEW_PASSWORD, password2=None, address="203.0.113.7"):
    return client.post("/me/password/forgot/", {"step": "code", "code": code, "password": password,
                                                "password2": password2 or password}, REMOTE_ADDR=address)


def test_the_login_page_leads_to_both(client):
    page = client.get("/me/login/?next=/work/").content.decode()
    assert 'href="/me/password/forgot/"' in page and 'href="/me/login/code/?next=/work/"' in page


def test_a_registered_phone_resets_the_password_with_a_code(client, alice, console, world):
    sent = ask(client, "/me/password/forgot/", PHONE)
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    code = last_code(console, PHONE)

    weak = reset(client, code, password="12345678")
    assert weak.status_code == 400 and "这个密码太常见了" in weak.content.decode()  # Django's validators, in 中文
    mismatch = reset(client, code, password2="something-else-99")
    assert mismatch.status_code == 400 and "两次输入的密码不一致" in mismatch.content.decode()

    done = reset(client, code)  # the weak try did not spend the code
    assert done.status_code == 200 and "密码已重置" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD) and not alice.check_password(world.password)
    assert Event.objects.filter(verb="customer.password_reset", subject_id=str(alice.pk)).count() == 1
    assert "_auth_user_id" not in client.session  # resetting is not logging in
    again = reset(client, code)
    assert again.status_code == 400 and "密码已重置" not in again.content.decode()  # the code is spent


def test_an_unknown_phone_gets_the_same_answer_and_no_message(client, alice, console):
    known = ask(Client(), "/me/password/forgot/", PHONE, address="192.0.2.1")
    unknown = ask(client, "/me/password/forgot/", STRANGER, address="192.0.2.2")
    assert known.status_code == unknown.status_code == 200

    def body(response, contact):
        return response.content.decode().replace(contact, "CONTACT").split('name="csrfmiddlewaretoken"')[0]

    assert body(known, PHONE) == body(unknown, STRANGER)
    assert [d for d, _text in console.sent] == [PHONE]  # nothing is sent to a stranger
    # Limits count the same: asking again at once is refused alike for both.
    again_known = ask(Client(), "/me/password/forgot/", PHONE, address="192.0.2.1")
    again_unknown = ask(client, "/me/password/forgot/", STRANGER, address="192.0.2.2")
    assert again_known.status_code == again_unknown.status_code == 400
    assert "秒后再试" in again_unknown.content.decode()
    # A guessed code for the stranger answers like a wrong one for a real account.
    refused = reset(client, "123456")
    assert refused.status_code == 400 and "验证码错误，还可尝试 4 次" in refused.content.decode()


def test_codes_stay_out_of_the_log_outside_debug(client, alice, console, caplog, settings):
    settings.DEBUG = False
    with caplog.at_level(logging.DEBUG):
        ask(client, "/me/password/forgot/", PHONE)
        ask(Client(), "/me/login/code/", PHONE, address="192.0.2.3")
    codes = [last_code(console, PHONE)]
    assert all(code not in caplog.text for code in codes) and PHONE not in caplog.text


def test_login_by_code_signs_in_and_goes_where_asked(client, alice, console):
    sent = client.post("/me/login/code/?next=/me/apply/", {"step": "contact", "contact": PHONE})
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    code = last_code(console, PHONE)
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post("/me/login/code/?next=/me/apply/", {"step": "code", "code": wrong})
    assert refused.status_code == 400 and "验证码错误，还可尝试 4 次" in refused.content.decode()
    assert AccessAttempt.objects.get(username=alice.username).failures_since_start == 1  # axes counted it
    done = client.post("/me/login/code/?next=/me/apply/", {"step": "code", "code": code})
    assert done.status_code == 302 and done["Location"] == "/me/apply/"
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert not AccessAttempt.objects.filter(username=alice.username).exists()  # reset on success
    assert OneTimeCode.objects.filter(purpose="login", used_at__isnull=False).exists()


def test_a_locked_account_cannot_log_in_by_code_either(client, alice, console, world):
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/me/login/", {"identifier": "alice", "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n}")
    ask(client, "/me/login/code/", PHONE, address="192.0.2.50")
    code = last_code(console, PHONE)
    locked = client.post("/me/login/code/", {"step": "code", "code": code}, REMOTE_ADDR="192.0.2.50")
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_contact_cannot_log_in_by_code(client, alice, console):
    ask(client, "/me/login/code/", STRANGER)
    assert not console.sent
    refused = client.post("/me/login/code/", {"step": "code", "code": "123456"})
    assert refused.status_code == 400 and "验证码错误" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=STRANGER).failures_since_start == 1


def test_a_malformed_contact_is_named(client):
    bad = ask(client, "/me/password/forgot/", "not a phone")
    assert bad.status_code == 400 and "请输入11位手机号码或电子邮箱" in bad.content.decode()
