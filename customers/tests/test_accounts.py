"""Sign up with a one-time code, log in by username, phone or e-mail, verify an identity."""
import pytest
from django.test import Client

from accounts.roles import Role
from core.errors import InvalidInput
from core.models import Event, OneTimeCode
from core.otp import _digest
from customers import actions
from customers.models import Profile
from customers.tests.conftest import as_user, last_code

pytestmark = pytest.mark.django_db
PASSWORD = "long-enough-secret-77"


def start_signup(client, contact="13800138000"):
    return client.post("/me/signup/", {"step": "details", "contact": contact, "display_name": "王芳",
                                       "password": PASSWORD, "password2": PASSWORD})


def test_signup_confirms_the_phone_with_a_one_time_code(console):
    client = Client()
    response = start_signup(client)
    assert response.status_code == 200
    assert f"验证码已发送至 13800138000，{int(actions.CODE_TTL.total_seconds() // 60)} 分钟内有效" in response.content.decode()
    code = last_code(console, "13800138000")
    stored = OneTimeCode.objects.get(destination_digest=_digest("13800138000"))
    assert code not in stored.code_hash  # only a keyed hash is kept

    wrong = "000000" if code != "000000" else "111111"
    refused = client.post("/me/signup/", {"step": "code", "code": wrong})
    assert refused.status_code == 400
    assert "验证码错误，还可尝试 4 次" in refused.content.decode()

    done = client.post("/me/signup/", {"step": "code", "code": code})
    assert done.status_code == 302 and done["Location"] == "/me/profile/"
    from accounts.models import User

    user = User.objects.get(phone="13800138000")
    assert Role.APPLICANT in user.roles
    # The phone logs in, but it is not the username (which every event and page would carry).
    assert "13800138000" not in user.username and user.username.startswith("u")
    assert not Event.objects.filter(actor_label__contains="13800138000").exists()
    assert user.check_password(PASSWORD)
    assert Event.objects.filter(verb="customer.signed_up", subject_id=str(user.pk)).exists()
    assert client.get("/me/").status_code == 200  # logged in


def test_a_code_expires_and_allows_limited_attempts(console, travel):
    from applications.tests.conftest import at

    travel(at(2026, 3, 2, 9))
    actions.code_send(destination="a@example.com", purpose="signup")
    for _ in range(actions.CODE_MAX_ATTEMPTS):
        with pytest.raises(InvalidInput):
            actions.code_verify(destination="a@example.com", purpose="signup", code="not-it")
    right = last_code(console, "a@example.com")
    with pytest.raises(InvalidInput, match="验证码已失效"):
        actions.code_verify(destination="a@example.com", purpose="signup", code=right)

    travel(at(2026, 3, 2, 10))
    actions.code_send(destination="a@example.com", purpose="signup")
    fresh = last_code(console, "a@example.com")
    travel(at(2026, 3, 2, 10) + actions.CODE_TTL)
    with pytest.raises(InvalidInput, match="验证码已失效"):
        actions.code_verify(destination="a@example.com", purpose="signup", code=fresh)


def test_signup_refuses_a_taken_contact_and_a_weak_password(world, console):
    world.alice.phone = "13900000001"
    world.alice.save()
    taken = start_signup(Client(), contact="13900000001")
    assert taken.status_code == 400 and "已注册" in taken.content.decode()
    weak = Client().post("/me/signup/", {"step": "details", "contact": "x@example.com", "password": "123",
                                         "password2": "123"})
    assert weak.status_code == 400
    assert not console.sent


@pytest.mark.parametrize("identifier", ["alice", "13900000002", "Alice@Example.com"])
def test_login_by_username_phone_or_email(world, identifier):
    world.alice.phone, world.alice.email = "13900000002", "alice@example.com"
    world.alice.save()
    client = Client()
    response = client.post("/me/login/?next=/me/apply/", {"identifier": identifier, "password": world.password})
    assert response.status_code == 302 and response["Location"] == "/me/apply/"
    assert client.post("/me/logout/").status_code == 302
    assert client.get("/me/")["Location"].startswith("/me/login/")


def test_login_refuses_a_wrong_password_and_an_offsite_next(world):
    bad = Client().post("/me/login/", {"identifier": "alice", "password": "nope"})
    assert bad.status_code == 400 and "账号或密码不正确" in bad.content.decode()
    offsite = Client().post("/me/login/?next=//evil.example/", {"identifier": "alice", "password": world.password})
    assert offsite["Location"] == "/me/"


def test_profile_checks_the_id_number_and_the_code(world, console):
    world.alice.phone = "13900000003"
    world.alice.save()
    client = as_user(world.alice)
    assert client.get("/me/profile/").status_code == 200
    sent = client.post("/me/profile/", {"step": "send", "kind": "person", "name": "Alice", "number": "x"})
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    code = last_code(console, "13900000003")

    bad = client.post("/me/profile/", {"step": "verify", "kind": "person", "name": "爱丽丝",
                                       "number": "110105194912310021", "code": code})
    assert bad.status_code == 400
    assert 'id="id_number-error"' in bad.content.decode() and "校验码错误" in bad.content.decode()

    ok = client.post("/me/profile/", {"step": "verify", "kind": "person", "name": "爱丽丝",
                                      "number": "11010519491231002x", "code": code})
    assert ok.status_code == 200, ok.content.decode()
    profile = Profile.objects.get(user=world.alice)
    assert profile.kind == "person" and actions.profile_id_number(profile) == "11010519491231002X"
    assert "11010519491231002X" not in profile.id_number_enc


def test_enterprise_profile_with_a_valid_uscc(world, console):
    world.alice.email = "boss@example.com"
    world.alice.save()
    actions.identity_code_send(user=world.alice)
    profile = actions.profile_verify(user=world.alice, kind="enterprise", name="台儿庄酒业有限公司",
                                     number="91350100m000100y43", code=last_code(console, "boss@example.com"))
    assert profile.uscc == "91350100M000100Y43"
    with pytest.raises(InvalidInput) as caught:
        actions.profile_verify(user=world.alice, kind="enterprise", name="x", number="91350100M000100Y44", code="1")
    assert "number" in caught.value.fields
