"""One-time codes, one service for every purpose: sign-up, identity (profile), contract signing,
password reset and log-in by code.

    send(destination=phone_or_email, purpose=..., scope="contract:12", client=ip) -> OneTimeCode
    verify(destination=..., purpose=..., code=..., scope="contract:12") -> OneTimeCode
    revoke(purpose=..., scope="contract:12") -> number of codes that stop working
    live(purpose=..., scope=...) -> the code still waiting to be used, if any

A scope names the object a code is for; an object has at most one live code (a database
constraint), so a new code, or closing the object, ends the old one.

Codes go out through core.channels after the commit (a rolled-back request never delivers a
code that does not exist) and are marked secret there: no log line carries one outside DEBUG.
Only keyed hashes of the code and of the destination are stored.

Limits (our settings; no seed speaks of them): a code lives OTP_TTL, allows OTP_MAX_ATTEMPTS
guesses, a new one may be asked OTP_RESEND_AFTER after the last still usable one; at most
OTP_MAX_PER_DESTINATION_HOUR codes per destination and OTP_MAX_PER_CLIENT_HOUR per client
address an hour, so nobody can flood a phone or run up the SMS bill.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import events, pii
from core.channels import CHANNELS, Delivery
from core.errors import InvalidInput, invalid
from core.models import OneTimeCode

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_AFTER = timedelta(seconds=60)
MAX_PER_DESTINATION_HOUR = 5
MAX_PER_CLIENT_HOUR = 20

TEXTS = {
    OneTimeCode.Purpose.SIGNUP: "【getpower】注册验证码 {code}，{minutes} 分钟内有效。如非本人操作请忽略。",
    OneTimeCode.Purpose.IDENTITY: "【getpower】实名核验验证码 {code}，{minutes} 分钟内有效。",
    OneTimeCode.Purpose.CONTRACT: "【getpower】您正在签署{what}，验证码 {code}，{minutes} 分钟内有效。",
    OneTimeCode.Purpose.PASSWORD_RESET: "【getpower】找回密码验证码 {code}，{minutes} 分钟内有效。如非本人操作请忽略。",
    OneTimeCode.Purpose.LOGIN: "【getpower】登录验证码 {code}，{minutes} 分钟内有效。请勿告诉他人。",
}


def _key() -> bytes:
    return settings.SECRET_KEY.encode()


def _digest(value: str) -> str:
    return hmac.new(_key(), f"otp-destination:{value.strip().lower()}".encode(), hashlib.sha256).hexdigest()


def _code_hash(*, destination: str, purpose: str, scope: str, code: str) -> str:
    message = f"{purpose}:{scope}:{destination.strip().lower()}:{code}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def channel_for(destination: str) -> str:
    """console in development; otherwise SMS for a phone and e-mail for an address."""
    configured = settings.NOTIFY_CHANNEL
    if configured == "console":
        return "console"
    return "email" if "@" in destination else "sms"


class WrongCode(InvalidInput):
    """A wrong guess, counted against the code (as opposed to no usable code at all)."""

    def __init__(self, message: str, *, attempts: int):
        super().__init__(f"code: {message}", fields={"code": message})
        self.attempts = attempts


def _unspent():
    return OneTimeCode.objects.filter(used_at__isnull=True, revoked_at__isnull=True)


def live(*, purpose: str, scope: str, destination: str | None = None) -> OneTimeCode | None:
    """The latest code of this purpose and scope that is neither used nor revoked (it may have
    expired or run out of attempts: the page says so)."""
    codes = _unspent().filter(purpose=purpose, scope=scope)
    if destination is not None:
        codes = codes.filter(destination_digest=_digest(destination))
    return codes.first()


def resend_wait(*, destination: str, purpose: str, scope: str = "") -> int:
    """Seconds before another code may be sent; 0 when one may be sent now. Only a code that
    could still be used holds the next one back: after a lock-out a new code may be asked at once."""
    now = timezone.now()
    latest = live(purpose=purpose, scope=scope, destination=destination)
    if (latest is None or latest.expires_at <= now or latest.attempts >= CODE_MAX_ATTEMPTS
            or now - latest.created_at >= CODE_RESEND_AFTER):
        return 0
    return int((CODE_RESEND_AFTER - (now - latest.created_at)).total_seconds()) + 1


def _too_soon(wait: int):
    return invalid("contact", f"验证码已发送，请 {wait} 秒后再试")


def revoke(*, purpose: str, scope: str) -> int:
    """Every live code of the scope stops working (its object closed); returns how many did.
    The caller records why, in its own event."""
    if not scope:
        raise invalid("scope", "只能作废指定对象的验证码")
    return _unspent().filter(purpose=purpose, scope=scope).update(revoked_at=timezone.now())


def send(*, destination: str, purpose: str, scope: str = "", client: str = "", what: str = "",
         deliver: bool = True) -> OneTimeCode:
    """Send a fresh code; earlier unused codes for the same destination, purpose and scope (for a
    scope: every earlier code of it) stop counting. `client` is the requester's address (rate
    limit); `what` names the object (contract).

    deliver=False does everything but the sending: where the answer must not tell whether a
    phone or mailbox has an account (password reset, log-in by code), a stranger's number gets
    the same answer and the same limits, and no message (nobody can use us to text strangers)."""
    destination = (destination or "").strip()
    if not destination:
        raise invalid("contact", "账户未登记手机号码或电子邮箱")
    if purpose not in OneTimeCode.Purpose.values:
        raise invalid("purpose", f"one of {', '.join(OneTimeCode.Purpose.values)}")
    now = timezone.now()
    digest = _digest(destination)
    client_digest = _digest(f"client:{client}") if client else ""
    wait = resend_wait(destination=destination, purpose=purpose, scope=scope)
    if wait:
        raise _too_soon(wait)
    hour_ago = now - timedelta(hours=1)
    if OneTimeCode.objects.filter(destination_digest=digest, created_at__gt=hour_ago).count() >= MAX_PER_DESTINATION_HOUR:
        raise invalid("contact", "该号码一小时内获取验证码次数过多，请稍后再试")
    if client_digest and OneTimeCode.objects.filter(client_digest=client_digest,
                                                    created_at__gt=hour_ago).count() >= MAX_PER_CLIENT_HOUR:
        raise invalid("contact", "本机获取验证码次数过多，请一小时后再试")
    channel = channel_for(destination)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    earlier = _unspent().filter(purpose=purpose, scope=scope)
    if not scope:
        earlier = earlier.filter(destination_digest=digest)
    try:
        with transaction.atomic():
            earlier.update(revoked_at=now)
            record = OneTimeCode.objects.create(
                purpose=purpose, destination_digest=digest, scope=scope, client_digest=client_digest, channel=channel,
                code_hash=_code_hash(destination=destination, purpose=purpose, scope=scope, code=code),
                created_at=now, expires_at=now + CODE_TTL,
            )
            events.record(actor=None, verb="otp.sent", subject=record,
                          data={"purpose": purpose, "scope": scope, "channel": channel, "to": pii.mask(destination),
                                "delivered": deliver})
    except IntegrityError as exc:
        # A concurrent request for the same scope committed its code first (one live code per scope).
        raise _too_soon(int(CODE_RESEND_AFTER.total_seconds())) from exc
    if not deliver:
        return record
    text = TEXTS[purpose].format(code=code, minutes=int(CODE_TTL.total_seconds() // 60), what=what or "电子合同")
    CHANNELS[channel].send(Delivery(destination=destination, text=text, key=f"otp:{record.pk}",
                                    subject=OneTimeCode.Purpose(purpose).label, secret=True))
    return record


def verify(*, destination: str, purpose: str, code: str, scope: str = "") -> OneTimeCode:
    """Spend the latest code. A wrong guess (WrongCode) is committed before the error is raised:
    the attempt limit holds as long as the caller does not roll its own transaction back on the
    error (call it outside one, or catch the error and raise it after the commit)."""
    destination = (destination or "").strip()
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        record = (_unspent().select_for_update()
                  .filter(destination_digest=_digest(destination), purpose=purpose, scope=scope)
                  .first())
        # Each refusal says "已失效" and why, so the person knows to ask for a new code.
        if record is None:
            refusal = invalid("code", "验证码已失效，请重新获取")
        elif record.expires_at <= now:
            refusal = invalid("code", "验证码已失效（已过期），请重新获取")
        elif record.attempts >= CODE_MAX_ATTEMPTS:
            refusal = invalid("code", "验证码已失效（错误次数过多），请重新获取")
        elif not hmac.compare_digest(record.code_hash, _code_hash(destination=destination, purpose=purpose,
                                                                     scope=scope, code=code)):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            events.record(actor=None, verb="otp.failed", subject=record,
                          data={"purpose": purpose, "scope": scope, "attempts": record.attempts})
            left = CODE_MAX_ATTEMPTS - record.attempts
            refusal = WrongCode(f"验证码错误，还可尝试 {left} 次" if left else "验证码错误次数过多，请重新获取",
                                attempts=record.attempts)
        else:
            record.used_at = now
            record.save(update_fields=["used_at"])
            events.record(actor=None, verb="otp.verified", subject=record, data={"purpose": purpose, "scope": scope})
            return record
    raise refusal
