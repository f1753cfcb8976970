"""Reads of who is who that every app's pages need: counties by code, the counties a user
serves, divisions for a filter, users by the name they typed. Jurisdiction itself is
accounts.access; this module only reads."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts import access
from accounts.models import ApiToken, Division, User
from core.errors import invalid


def counties() -> QuerySet[Division]:
    return Division.objects.filter(level=Division.Level.COUNTY)


def county_by_code(code: str) -> Division | None:
    """The county with this 行政区划代码, or None."""
    return counties().filter(code=(code or "").strip()).first()


def county_required(code: str) -> Division:
    """The county a form or API call names by its code, else a refusal naming the `county` field."""
    found = county_by_code(code)
    if found is None:
        raise invalid("county", "未找到该区县")
    return found


def counties_for(user: User) -> QuerySet[Division]:
    """The counties within the user's jurisdiction, by code."""
    return access.scope(user, counties(), division_field="pk").order_by("code")


def division_by_code(code: str) -> Division | None:
    """The division (of any level) with exactly this 行政区划代码, or None."""
    return Division.objects.filter(code=code).first()


def divisions(ids) -> QuerySet[Division]:
    """Divisions by id (a list or a subquery of ids), by code: the choices of a county filter."""
    return Division.objects.filter(pk__in=ids).order_by("code")


def active_user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def any_user(username: str) -> User | None:
    """The account with this username, active or not (the console acts on either)."""
    return User.objects.filter(username=username).first()


def users_named(usernames: Iterable[str]) -> QuerySet[User]:
    return User.objects.filter(username__in=list(usernames))


def user_by_identifier(identifier: str) -> User | None:
    """The active account a person means by what they typed at login: username, phone or e-mail."""
    identifier = identifier.strip()
    if not identifier:
        return None
    return (User.objects.filter(Q(username__iexact=identifier) | Q(phone=identifier) | Q(email__iexact=identifier))
            .filter(is_active=True).order_by("id").first())


def api_token(pk: int) -> ApiToken | None:
    return ApiToken.objects.filter(pk=pk).first()


def api_tokens(*, user: User | None = None, revoked: bool | None = None) -> QuerySet[ApiToken]:
    """Tokens in the order they were issued, with their user; of one user, revoked or not."""
    tokens = ApiToken.objects.select_related("user").order_by("pk")
    if user is not None:
        tokens = tokens.filter(user=user)
    if revoked is not None:
        tokens = tokens.filter(revoked=revoked)
    return tokens
