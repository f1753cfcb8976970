"""State changes for divisions, organisations and users (each writes its event once the
core event log is available through core.events)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, Division, Membership, Organisation, User
from accounts.roles import Role
from core import events
from core.errors import invalid

API_TOKEN_DAYS = 90
API_TOKEN_MAX_DAYS = 366


@transaction.atomic
def division_create(*, code: str, name: str, level: str, parent: Division | None = None,
                    policy_region: str | None = None, city_group: str = "") -> Division:
    if level not in Division.Level.values:
        raise invalid("level", f"unknown level {level!r}; one of {', '.join(Division.Level.values)}")
    if level != Division.Level.PROVINCE and parent is None:
        raise invalid("parent", "a city or county needs a parent division")
    region = policy_region or (parent.policy_region if parent else None)
    if not region:
        raise invalid("policy_region", "a province needs its policy region code")
    division = Division.objects.create(
        code=code, name=name, level=level, parent=parent, policy_region=region,
        city_group=city_group or (parent.city_group if parent else ""),
    )
    events.record(actor=None, verb="division.created", subject=division,
                  data={"code": code, "name": name, "level": level, "policy_region": region})
    return division


@transaction.atomic
def organisation_create(*, code: str, name: str, kind: str, division: Division,
                        parent: Organisation | None = None, department: str = "") -> Organisation:
    if kind not in Organisation.Kind.values:
        raise invalid("kind", f"unknown kind {kind!r}")
    organisation = Organisation.objects.create(
        code=code, name=name, kind=kind, division=division, parent=parent, department=department
    )
    events.record(actor=None, verb="organisation.created", subject=organisation,
                  data={"code": code, "name": name, "kind": kind, "division": division.code,
                        "parent": parent.code if parent else None})
    return organisation


@transaction.atomic
def user_create(*, username: str, password: str = "", password_hash: str = "", role: str,
                organisation: Organisation | None = None, display_name: str = "", phone: str = "", email: str = "") -> User:
    if role not in Role.values:
        raise invalid("role", f"unknown role {role!r}")
    if role != Role.APPLICANT and organisation is None:
        raise invalid("organisation", "工作人员角色须属于某个单位")
    if User.objects.filter(username=username).exists():
        raise invalid("username", "该用户名已被使用")
    if not password and not password_hash:
        raise invalid("password", "必填")
    user = User.objects.create_user(
        username=username, password=password or None, display_name=display_name, phone=phone, email=email,
        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
    )
    if password_hash:
        user.password = password_hash
        user.save(update_fields=["password"])
    Membership.objects.create(user=user, organisation=organisation, role=role)
    events.record(actor=None, verb="user.created", subject=user,
                  data={"username": username, "role": role, "organisation": organisation.code if organisation else None})
    return user


def generated_username() -> str:
    """A sign-in name that says nothing about its owner ("u" + 10 random letters/digits): the
    phone number or e-mail stays a way to log in, never the name the logs and pages carry."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0)
    while True:
        name = "u" + "".join(secrets.choice(alphabet) for _ in range(10))
        if not User.objects.filter(username=name).exists():
            return name


@transaction.atomic
def membership_add(*, user: User, role: str, organisation: Organisation | None) -> Membership:
    if role not in Role.values:
        raise invalid("role", f"unknown role {role!r}")
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        events.record(actor=None, verb="membership.added", subject=user,
                      data={"role": role, "organisation": organisation.code if organisation else None})
    for cache in ("_roles_cache", "_memberships_cache", "_jurisdiction_cache"):
        user.__dict__.pop(cache, None)
    return membership


def password_check(*, password: str, user: User | None = None) -> None:
    """Refuse a password Django's validators refuse (in 中文), naming the field: the one check
    of sign-up, password reset and setting a password."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    try:
        password_validation.validate_password(password, user)
    except ValidationError as refused:
        raise invalid("password", "；".join(refused.messages)) from None


def user_password_set(*, user: User, password: str, by: User | str | None = None) -> User:
    """Give the user a new password, as Django's validators allow; the event says who set it,
    never the password (the command, the admin's own-password page and any other way in)."""
    password_check(password=password, user=user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        events.record(actor=by if by is not None else user, verb="user.password_set", subject=user,
                      data={"user": user.pk})
    return user


@transaction.atomic
def administrator_create(*, username: str, password: str, generated: bool, by: str = "job:bootstrap") -> User:
    """The platform's first administrator (`getpower bootstrap`). The event says whether the
    password was generated or given, never the password."""
    admin = User.objects.create_superuser(username=username, email="", password=password)
    events.record(actor=by, verb="platform.bootstrapped", subject=admin,
                  data={"administrator": admin.pk, "password": "generated" if generated else "given"})
    return admin


def api_token_create(*, user: User, name: str, days: int = API_TOKEN_DAYS) -> str:
    """Create a token valid for `days` and return it once; only its digest is kept."""
    token, _ = api_token_issue(user=user, name=name, days=days)
    return token


def api_token_issue(*, user: User, name: str, days: int = API_TOKEN_DAYS, by: User | str | None = None
                    ) -> tuple[str, ApiToken]:
    """The token (shown once, never stored) and its record."""
    if not name.strip():
        raise invalid("name", "必填")
    if len(name.strip()) > ApiToken._meta.get_field("name").max_length:
        raise invalid("name", f"不能超过 {ApiToken._meta.get_field('name').max_length} 个字符")
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise invalid("days", f"有效期为 1 至 {API_TOKEN_MAX_DAYS} 天")
    if not user.is_active:
        raise invalid("user", "该账号已停用")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        record = ApiToken.objects.create(user=user, name=name.strip(), created_at=now,
                                         expires_at=now + timedelta(days=days),
                                         key_digest=hashlib.sha256(token.encode()).hexdigest())
        events.record(actor=by if by is not None else user, verb="api_token.created", subject=record,
                      data={"name": record.name, "user": user.pk, "expires_at": record.expires_at})
    return token, record


def api_token_revoke(*, token: ApiToken, by: User | str | None = None) -> ApiToken:
    """Stop a token now. Revoking a revoked token changes nothing and logs nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked:
            return token
        token.revoked, token.revoked_at = True, timezone.now()
        token.save(update_fields=["revoked", "revoked_at"])
        events.record(actor=by, verb="api_token.revoked", subject=token,
                      data={"name": token.name, "user": token.user_id})
    return token
