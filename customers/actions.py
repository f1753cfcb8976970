"""Applicant-side state changes: keyword-only, atomic, one event each."""
from __future__ import annotations

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import actions as accounts
from accounts.identity import normalise
from accounts.models import User
from accounts.roles import Role
from applications.models import Application, Status
from core import events, otp, pii
from core.errors import Conflict, Forbidden, invalid
from core.models import OneTimeCode
from customers.identity import DEFAULT_PROVIDER, PROVIDERS, IdentityClaim
from customers.models import Profile, Rating

# One-time codes are core's (core.otp); these names stay for the portal's callers.
CODE_TTL = otp.CODE_TTL
CODE_MAX_ATTEMPTS = otp.CODE_MAX_ATTEMPTS

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


def code_send(*, destination: str, purpose: str, client: str = "") -> OneTimeCode:
    """Send a fresh code (core.otp); earlier unused codes for the same purpose stop counting."""
    return otp.send(destination=destination, purpose=purpose, client=client)


def code_verify(*, destination: str, purpose: str, code: str) -> OneTimeCode:
    return otp.verify(destination=destination, purpose=purpose, code=code)


def _check_signup(*, contact: str, password: str) -> str:
    kind = contact_kind(contact)
    taken = User.objects.filter(Q(username__iexact=contact) | Q(**{f"{kind}__iexact": contact})).exists()
    if taken:
        raise invalid("contact", "该手机号码或邮箱已注册，请直接登录")
    accounts.password_check(password=password)
    return kind


def signup_start(*, contact: str, password: str, client: str = "") -> OneTimeCode:
    """Check the sign-up details and send a code to the phone or mailbox to confirm it."""
    contact = contact.strip()
    _check_signup(contact=contact, password=password)
    return code_send(destination=contact, purpose=OneTimeCode.Purpose.SIGNUP, client=client)


def signup_complete(*, contact: str, password_hash: str, display_name: str, code: str) -> User:
    """Confirm the code and create the applicant account. The username is generated: the phone
    or e-mail still logs in, but never becomes the name the event log and pages carry."""
    contact = contact.strip()
    kind = contact_kind(contact)
    code_verify(destination=contact, purpose=OneTimeCode.Purpose.SIGNUP, code=code)
    try:
        with transaction.atomic():
            user = accounts.user_create(
                username=accounts.generated_username(), password_hash=password_hash, role=Role.APPLICANT,
                display_name=display_name.strip(), **{kind: contact},
            )
            events.record(actor=user, verb="customer.signed_up", subject=user,
                          data={"confirmed": kind, "contact": pii.mask(contact)})
    except IntegrityError:
        raise invalid("contact", "该手机号码或邮箱已注册，请直接登录") from None
    return user


def account_for_contact(contact: str) -> User | None:
    """The active account a phone number or e-mail address belongs to, if any."""
    contact = contact.strip()
    if not contact:
        return None
    return (User.objects.filter(Q(phone=contact) | Q(email__iexact=contact)).filter(is_active=True)
            .order_by("id").first())


def _code_for_account(*, contact: str, purpose: str, client: str) -> OneTimeCode:
    """Send a code to a registered phone or mailbox. A contact with no account gets the same
    answer and the same limits, but nothing is sent: the answer never tells whether it exists."""
    contact = contact.strip()
    contact_kind(contact)
    return otp.send(destination=contact, purpose=purpose, client=client,
                    deliver=account_for_contact(contact) is not None)


def password_reset_start(*, contact: str, client: str = "") -> OneTimeCode:
    """忘记密码, step 1: a code to the account's phone or mailbox."""
    return _code_for_account(contact=contact, purpose=OneTimeCode.Purpose.PASSWORD_RESET, client=client)


def password_reset_complete(*, contact: str, code: str, password: str) -> User:
    """忘记密码, step 2: the code proves the phone or mailbox; the new password passes Django's
    validators (in 中文). The password is checked before the code, so a weak password does not
    spend the code; a wrong code answers the same whether the account exists or not."""
    contact = contact.strip()
    user = account_for_contact(contact)
    accounts.password_check(password=password, user=user)
    otp.verify(destination=contact, purpose=OneTimeCode.Purpose.PASSWORD_RESET, code=code)
    if user is None:  # a code was never delivered to a contact with no account
        raise invalid("code", "验证码已失效，请重新获取")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        events.record(actor=user, verb="customer.password_reset", subject=user,
                      data={"contact": pii.mask(contact)})
    return user


def login_code_send(*, contact: str, client: str = "") -> OneTimeCode:
    """验证码登录, step 1 (step 2 is `authenticate(contact=, one_time_code=)`, customers.backends)."""
    return _code_for_account(contact=contact, purpose=OneTimeCode.Purpose.LOGIN, client=client)


def identity_code_send(*, user: User, client: str = "") -> OneTimeCode:
    return code_send(destination=contact_of(user), purpose=OneTimeCode.Purpose.IDENTITY, client=client)


def profile_verify(*, user: User, kind: str, name: str, number: str, code: str,
                   provider: str = DEFAULT_PROVIDER) -> Profile:
    """Record the applicant's checked identity (person or enterprise)."""
    if kind not in Profile.Kind.values:
        raise invalid("kind", "个人或企业")
    if provider not in PROVIDERS:
        raise invalid("provider", f"不支持的身份认证方式 {provider!r}")
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
        raise invalid("score", "请选择 1–5 分") from None
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
