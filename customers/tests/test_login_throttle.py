"""Guessing passwords stops after a few tries, per account and per address, on the
applicant's login and on the admin login alike; an unknown name is answered like a known one."""
import pytest
from axes.models import AccessAttempt
from django.conf import settings

LIMIT = settings.AXES_FAILURE_LIMIT


def attempt(client, path, name, password, address="203.0.113.7"):
    fields = {"identifier": name, "password": password} if path == "/me/login/" else {
        "username": name, "password": password, "next": "/admin/"}
    return client.post(path, fields, REMOTE_ADDR=address)


@pytest.mark.parametrize("path, who", [("/me/login/", "alice"), ("/admin/login/", "root")])
def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, world, path, who):
    for _ in range(30):
        assert attempt(client, path, who, "wrong-password").status_code in (200, 400, 429)
    locked = attempt(client, path, who, world.password)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    if path == "/me/login/":
        assert "登录失败次数过多" in locked.content.decode()


def test_the_lock_is_per_account_even_from_many_addresses(client, world):
    for n in range(LIMIT):
        attempt(client, "/me/login/", "alice", "wrong-password", address=f"198.51.100.{n}")
    assert attempt(client, "/me/login/", "alice", world.password, address="192.0.2.200").status_code == 429


def test_the_lock_is_per_address_across_accounts(client, world):
    for name in ["anna", "bob", "carol", "dave", "lena"][:LIMIT]:
        attempt(client, "/me/login/", name, "wrong-password")
    assert attempt(client, "/me/login/", "alice", world.password).status_code == 429
    # Another address is not affected.
    ok = attempt(client, "/me/login/", "alice", world.password, address="192.0.2.9")
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(world.alice.pk)


def test_under_the_limit_a_right_password_logs_in_and_resets_the_count(client, world):
    for _ in range(LIMIT - 1):
        attempt(client, "/me/login/", "alice", "wrong-password")
    assert attempt(client, "/me/login/", "alice", world.password).status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()


def test_an_unknown_account_is_answered_and_counted_like_a_known_one(client, world):
    unknown = attempt(client, "/me/login/", "13900000000", "wrong-password")
    known = attempt(client, "/me/login/", "alice", "wrong-password", address="192.0.2.10")
    assert unknown.status_code == known.status_code == 400
    assert unknown.content.decode().count("账号或密码不正确") == known.content.decode().count("账号或密码不正确") == 1
    # The password check ran for the unknown name too (axes saw the failure it signals).
    assert AccessAttempt.objects.get(username="13900000000").failures_since_start == 1
