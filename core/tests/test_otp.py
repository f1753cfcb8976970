"""One-time codes: one service for every purpose, limited per destination and per client,
and never written to a log outside DEBUG."""
import datetime as dt
import logging
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

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
