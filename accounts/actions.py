"""State changes for divisions, organisations and users (each writes its event once the
core event log is available through core.events)."""
from __future__ import annotations

from django.db import transaction

from accounts.models import Division, Membership, Organisation, User
from accounts.roles import Role
from core import events
from core.errors import invalid


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
        raise invalid("organisation", "staff roles belong to an organisation")
    if User.objects.filter(username=username).exists():
        raise invalid("username", "already taken")
    if not password and not password_hash:
        raise invalid("password", "required")
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


@transaction.atomic
def membership_add(*, user: User, role: str, organisation: Organisation | None) -> Membership:
    if role not in Role.values:
        raise invalid("role", f"unknown role {role!r}")
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        events.record(actor=None, verb="membership.added", subject=user,
                      data={"role": role, "organisation": organisation.code if organisation else None})
    user.__dict__.pop("_roles_cache", None)
    user.__dict__.pop("_jurisdiction_cache", None)
    return membership


def api_token_create(*, user: User, name: str) -> str:
    """Create a token and return it once; only its digest is kept."""
    import hashlib
    import secrets

    from accounts.models import ApiToken

    if not name.strip():
        raise invalid("name", "required")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(user=user, name=name.strip(),
                                         key_digest=hashlib.sha256(token.encode()).hexdigest())
        events.record(actor=user, verb="api_token.created", subject=record, data={"name": record.name})
    return token
