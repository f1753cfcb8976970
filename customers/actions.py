"""Applicant-side state changes: keyword-only, atomic, one event each."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import actions as accounts
from accounts.identity import normalise
from accounts.models import User
from accounts.roles import Role
from applications import actions as app_actions
from applications import deadlines, rules
from applications.models import Application, Notification, Status
from core import events, pii
from core.errors import Conflict, Forbidden, invalid
from customers.channels import CHANNELS, default_channel
from customers.identity import DEFAULT_PROVIDER, PROVIDERS, IdentityClaim
from customers.models import OneTimeCode, Profile, Rating

# Our settings for one-time codes (not policy: no seed speaks of them).
CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_AFTER = timedelta(seconds=60)

PHONE = re.compile(r"^1\d{10}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contact_kind(contact: str) -> str:
    """'phone' or 'email' for a mainland mobile number or an e-mail address, else InvalidInput."""
    contact = contact.strip()
    if PHONE.match(contact):
        return "phone"
    if EMAIL.match(contact):
        return "email"
    raise invalid("contact", "请输入11位手机号码或电子邮箱")


def contact_of(user: User) -> str:
    return user.phone or user.email


def _digest(*, destination: str, purpose: str, code: str) -> str:
    message = f"{purpose}:{destination.lower()}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def code_send(*, destination: str, purpose: str, channel: str = "") -> OneTimeCode:
    """Send a fresh code; earlier unused codes for the same purpose stop counting."""
    channel = channel or default_channel()
    if channel not in CHANNELS:
        raise invalid("channel", f"unknown channel {channel!r}")
    if not destination:
        raise invalid("contact", "账户未登记手机号码或电子邮箱")
    now = timezone.now()
    recent = OneTimeCode.objects.filter(destination=destination, purpose=purpose,
                                        created_at__gt=now - CODE_RESEND_AFTER).exists()
    if recent:
        raise invalid("contact", f"验证码已发送，请 {int(CODE_RESEND_AFTER.total_seconds())} 秒后再试")
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    with transaction.atomic():
        OneTimeCode.objects.filter(destination=destination, purpose=purpose, used_at__isnull=True).update(used_at=now)
        record = OneTimeCode.objects.create(
            purpose=purpose, destination=destination, channel=channel,
            code_hash=_digest(destination=destination, purpose=purpose, code=code),
            created_at=now, expires_at=now + CODE_TTL,
        )
        events.record(actor=None, verb="otp.sent", subject=record,
                      data={"purpose": purpose, "channel": channel, "to": pii.mask(destination)})
    # Sent after the commit: a rolled-back code must never reach the customer.
    minutes = int(CODE_TTL.total_seconds() // 60)
    CHANNELS[channel].send(destination=destination, message=f"【getpower】验证码 {code}，{minutes} 分钟内有效。")
    return record


def code_verify(*, destination: str, purpose: str, code: str) -> OneTimeCode:
    """Spend the latest code. A wrong guess is committed before the error is raised, so the
    attempt limit holds even when the caller's own transaction rolls back."""
    now = timezone.now()
    with transaction.atomic():
        record = (OneTimeCode.objects.select_for_update()
                  .filter(destination=destination, purpose=purpose, used_at__isnull=True).first())
        if record is None or record.expires_at <= now or record.attempts >= CODE_MAX_ATTEMPTS:
            problem = "验证码已失效，请重新获取"
        elif not hmac.compare_digest(record.code_hash, _digest(destination=destination, purpose=purpose,
                                                                  code=code.strip())):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            events.record(actor=None, verb="otp.failed", subject=record,
                          data={"purpose": purpose, "attempts": record.attempts})
            left = CODE_MAX_ATTEMPTS - record.attempts
            problem = f"验证码错误，还可尝试 {left} 次" if left else "验证码错误次数过多，请重新获取"
        else:
            record.used_at = now
            record.save(update_fields=["used_at"])
            events.record(actor=None, verb="otp.verified", subject=record, data={"purpose": purpose})
            return record
    raise invalid("code", problem)


def _check_signup(*, contact: str, password: str) -> str:
    kind = contact_kind(contact)
    taken = User.objects.filter(Q(username__iexact=contact) | Q(**{f"{kind}__iexact": contact})).exists()
    if taken:
        raise invalid("contact", "该手机号码或邮箱已注册，请直接登录")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise invalid("password", "；".join(exc.messages))
    return kind


def signup_start(*, contact: str, password: str) -> OneTimeCode:
    """Check the sign-up details and send a code to the phone or mailbox to confirm it."""
    contact = contact.strip()
    _check_signup(contact=contact, password=password)
    return code_send(destination=contact, purpose=OneTimeCode.Purpose.SIGNUP)


def signup_complete(*, contact: str, password_hash: str, display_name: str, code: str) -> User:
    """Confirm the code and create the applicant account (username = the phone or e-mail)."""
    contact = contact.strip()
    kind = contact_kind(contact)
    code_verify(destination=contact, purpose=OneTimeCode.Purpose.SIGNUP, code=code)
    try:
        with transaction.atomic():
            user = accounts.user_create(
                username=contact, password_hash=password_hash, role=Role.APPLICANT,
                display_name=display_name.strip(), **{kind: contact},
            )
            events.record(actor=user, verb="customer.signed_up", subject=user,
                          data={"confirmed": kind, "contact": pii.mask(contact)})
    except IntegrityError:
        raise invalid("contact", "该手机号码或邮箱已注册，请直接登录")
    return user


def identity_code_send(*, user: User) -> OneTimeCode:
    return code_send(destination=contact_of(user), purpose=OneTimeCode.Purpose.IDENTITY)


def profile_verify(*, user: User, kind: str, name: str, number: str, code: str,
                   provider: str = DEFAULT_PROVIDER) -> Profile:
    """Record the applicant's checked identity (person or enterprise)."""
    if kind not in Profile.Kind.values:
        raise invalid("kind", "个人或企业")
    if provider not in PROVIDERS:
        raise invalid("provider", f"unknown identity provider {provider!r}")
    # Outside the transaction: the provider spends code attempts, which must stay spent.
    PROVIDERS[provider].verify(user=user, claim=IdentityClaim(kind=kind, name=name, number=number, code=code))
    number = normalise(number)
    with transaction.atomic():
        values = {
            "kind": kind, "name": name.strip(), "provider": provider, "verified_at": timezone.now(),
            "uscc": number if kind == Profile.Kind.ENTERPRISE else "",
            "id_number_enc": pii.encrypt(number, key=settings.PII_KEY) if kind == Profile.Kind.PERSON else "",
        }
        profile, created = Profile.objects.update_or_create(user=user, defaults=values)
        events.record(actor=user, verb="customer.identity_verified", subject=profile,
                      data={"kind": kind, "provider": provider, "created": created,
                            "number": number if kind == Profile.Kind.ENTERPRISE else pii.mask(number)})
    return profile


def profile_id_number(profile: Profile) -> str:
    return pii.decrypt(profile.id_number_enc, key=settings.PII_KEY) if profile.id_number_enc else ""


def _require_applicant(application: Application, by: User) -> None:
    if application.applicant_user_id != by.pk:
        raise Forbidden("只有申请人本人可以办理", fields={"applicant": "只有申请人本人可以办理"})


def rating_submit(*, application: Application, by: User, score, comment: str = "") -> Rating:
    """服务评价: 1–5 with an optional comment, once, after energisation."""
    _require_applicant(application, by)
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise invalid("score", "请选择 1–5 分")
    if not 1 <= score <= 5:
        raise invalid("score", "请选择 1–5 分")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Status.ENERGISED:
            raise Conflict("送电后才能评价", fields={"score": "送电后才能评价"})
        if Rating.objects.filter(application=application).exists():
            raise Conflict("已评价过，每个申请只能评价一次", fields={"score": "已评价"})
        rating = Rating.objects.create(application=application, by=by, score=score, comment=comment.strip(),
                                       created_at=timezone.now())
        events.record(actor=by, verb="rating.submitted", subject=application,
                      data={"score": score, "comment": rating.comment})
    return rating
