"""One-time codes: one service for every purpose, limited per destination and per client,
and never written to a log outside DEBUG."""
import datetime as dt
import logging
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from core import otp
from core.channels import CHANNELS
from core.errors import InvalidInput
from core.models import OneTimeCode

T0 = dt.datetime(2026, 9, 29, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def last_code(destination):
    text = next(t for d, t in reversed(CHANNELS["console"].sent) if d == destination)
    return re.search(r"\d{6}", text).group(0)


@pytest.mark.parametrize("purpose", OneTimeCode.Purpose.values)
def test_every_purpose_sends_and_spends_a_code_once(db, purpose):
    with time_machine.travel(T0, tick=False):
        otp.send(destination="13800138000", purpose=purpose, scope="contract:7" if purpose == "contract" else "")
        code = last_code("13800138000")
        scope = "contract:7" if purpose == "contract" else ""
        assert otp.verify(destination="13800138000", purpose=purpose, code=code, scope=scope).used_at
        with pytest.raises(InvalidInput, match="验证码已失效"):
            otp.verify(destination="13800138000", purpose=purpose, code=code, scope=scope)
    # Neither the phone nor the code is stored in clear.
    row = OneTimeCode.objects.get()
    assert "13800138000" not in row.destination_digest and code not in row.code_hash


def test_a_code_for_one_contract_does_not_sign_another(db):
    otp.send(destination="13800138000", purpose="contract", scope="contract:1")
    code = last_code("13800138000")
    with pytest.raises(InvalidInput):
        otp.verify(destination="13800138000", purpose="contract", code=code, scope="contract:2")


def test_codes_never_reach_the_log_outside_debug(db, caplog, settings):
    settings.DEBUG = False
    with caplog.at_level(logging.DEBUG):
        otp.send(destination="13800138000", purpose="login")
    code = last_code("13800138000")
    assert code not in caplog.text and "13800138000" not in caplog.text
    assert "withheld" in caplog.text

    settings.DEBUG = True
    caplog.clear()
    with time_machine.travel(dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2), tick=False), caplog.at_level(logging.DEBUG):
        otp.send(destination="13800138000", purpose="login")
    assert last_code("13800138000") in caplog.text  # developers see it on their console


def test_sending_is_limited_per_destination_and_per_client(db):
    moment = T0
    for n in range(otp.MAX_PER_DESTINATION_HOUR):
        with time_machine.travel(moment + dt.timedelta(minutes=2 * n), tick=False):
            otp.send(destination="13800138000", purpose="login", client="10.0.0.1")
    with time_machine.travel(moment + dt.timedelta(minutes=11), tick=False):
        with pytest.raises(InvalidInput, match="次数过多") as flood:
            otp.send(destination="13800138000", purpose="login", client="10.0.0.1")
        assert "contact" in flood.value.fields
        with pytest.raises(InvalidInput, match="秒后再试"):
            otp.send(destination="13900000000", purpose="login")
            otp.send(destination="13900000000", purpose="login")
    # One client walking through many numbers is stopped too.
    with time_machine.travel(moment + dt.timedelta(minutes=20), tick=False):
        sent = otp.MAX_PER_DESTINATION_HOUR
        for n in range(otp.MAX_PER_CLIENT_HOUR - sent):
            otp.send(destination=f"137000000{n:02d}", purpose="login", client="10.0.0.1")
        with pytest.raises(InvalidInput, match="本机"):
            otp.send(destination="13600000000", purpose="login", client="10.0.0.1")
    with time_machine.travel(moment + dt.timedelta(hours=2), tick=False):
        otp.send(destination="13800138000", purpose="login", client="10.0.0.1")  # an hour later it works again


def test_a_scope_has_one_live_code_and_revoking_it_ends_it(db):
    with time_machine.travel(T0, tick=False):
        otp.send(destination="13800138000", purpose="contract", scope="contract:3")
        first = last_code("13800138000")
        assert otp.live(purpose="contract", scope="contract:3").attempts == 0
    # A code for the same object to another phone replaces the first: never two live codes.
    with time_machine.travel(T0 + dt.timedelta(minutes=2), tick=False):
        otp.send(destination="13900000000", purpose="contract", scope="contract:3")
        with pytest.raises(InvalidInput, match="验证码已失效"):
            otp.verify(destination="13800138000", purpose="contract", code=first, scope="contract:3")
        assert OneTimeCode.objects.filter(scope="contract:3", revoked_at__isnull=False).count() == 1
        # The database holds the rule too, for writers that bypass send().
        with pytest.raises(IntegrityError), transaction.atomic():
            OneTimeCode.objects.create(purpose="contract", scope="contract:3", destination_digest="x", channel="sms",
                                       code_hash="y", created_at=T0, expires_at=T0 + otp.CODE_TTL)
        otp.send(destination="13800138000", purpose="contract", scope="contract:4")
        # Closing object 3 revokes its code and leaves object 4's alone.
        assert otp.revoke(purpose="contract", scope="contract:3") == 1
        assert otp.revoke(purpose="contract", scope="contract:3") == 0
        assert otp.live(purpose="contract", scope="contract:3") is None
        assert otp.live(purpose="contract", scope="contract:4") is not None
        with pytest.raises(InvalidInput, match="验证码已失效"):
            otp.verify(destination="13900000000", purpose="contract", code=last_code("13900000000"),
                       scope="contract:3")
        with pytest.raises(InvalidInput) as unscoped:
            otp.revoke(purpose="login", scope="")
        assert "scope" in unscoped.value.fields


def test_refusals_say_why_and_a_locked_code_may_be_replaced_at_once(db):
    with time_machine.travel(T0, tick=False):
        otp.send(destination="a@example.com", purpose="signup")
        right = last_code("a@example.com")
        wrong = f"{(int(right) + 1) % 10 ** otp.CODE_DIGITS:0{otp.CODE_DIGITS}d}"
        assert otp.resend_wait(destination="a@example.com", purpose="signup") == otp.CODE_RESEND_AFTER.seconds + 1
        for attempt in range(1, otp.CODE_MAX_ATTEMPTS + 1):
            with pytest.raises(otp.WrongCode, match="验证码错误") as refused:
                otp.verify(destination="a@example.com", purpose="signup", code=wrong)
            assert refused.value.attempts == attempt and list(refused.value.fields) == ["code"]
        with pytest.raises(InvalidInput, match="已失效（错误次数过多）"):
            otp.verify(destination="a@example.com", purpose="signup", code=right)
        # Locked out: no minute's wait for a fresh code.
        assert otp.resend_wait(destination="a@example.com", purpose="signup") == 0
        otp.send(destination="a@example.com", purpose="signup")
        fresh = last_code("a@example.com")
    with time_machine.travel(T0 + otp.CODE_TTL, tick=False), pytest.raises(InvalidInput, match="已失效（已过期）"):
        otp.verify(destination="a@example.com", purpose="signup", code=fresh)
