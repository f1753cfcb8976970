"""The only way code fetches what a user may see, and checks what a user may do.

Jurisdiction: a staff user sees the division subtree of each organisation they belong
to, within their own utility; an applicant sees only their own records; admins and the
regulator of a division see everything below it. Invisible objects answer NotFound (404)
so their existence does not leak; visible objects the role may not act on answer Forbidden.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import Division, Membership, Organisation, User
from accounts.roles import GRID_STAFF, PERMISSIONS, Role
from core.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Jurisdiction:
    everything: bool
    division_ids: frozenset[int]
    # None: any utility (government, regulator); otherwise utility root organisation ids.
    utility_ids: frozenset[int] | None
    owner_id: int | None


def division_subtree(root_ids: set[int]) -> set[int]:
    """All divisions at or below the given ones (the tree is shallow: province/city/county)."""
    seen = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        frontier = set(Division.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - seen
        seen |= frontier
    return seen


def jurisdiction(user: User) -> Jurisdiction:
    cached = getattr(user, "_jurisdiction_cache", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        result = Jurisdiction(False, frozenset(), frozenset(), None)
    elif user.is_superuser or Role.ADMIN in user.roles:
        result = Jurisdiction(True, frozenset(), None, None)
    else:
        staff = Membership.objects.filter(user=user).exclude(role=Role.APPLICANT).select_related("organisation")
        roots, utilities, any_utility = set(), set(), False
        for membership in staff:
            org: Organisation = membership.organisation
            roots.add(org.division_id)
            if org.kind == Organisation.Kind.UTILITY:
                utilities.add(org.utility_root.id)
            else:
                any_utility = True
        result = Jurisdiction(
            everything=False,
            division_ids=frozenset(division_subtree(roots)) if roots else frozenset(),
            utility_ids=None if any_utility else frozenset(utilities),
            owner_id=user.id if Role.APPLICANT in user.roles else None,
        )
    user._jurisdiction_cache = result
    return result


def scope(
    user: User,
    queryset: QuerySet,
    *,
    division_field: str,
    utility_field: str | None = None,
    owner_field: str | None = None,
) -> QuerySet:
    """Filter `queryset` to what `user` may see. Field names are the model's lookups,
    e.g. division_field="county", utility_field="utility", owner_field="applicant_user"."""
    j = jurisdiction(user)
    if j.everything:
        return queryset
    condition = Q(pk__in=[])
    if j.division_ids:
        staff = Q(**{f"{division_field}__in": j.division_ids})
        if utility_field and j.utility_ids is not None:
            staff &= Q(**{f"{utility_field}__in": j.utility_ids})
        condition |= staff
    if owner_field and j.owner_id is not None:
        condition |= Q(**{owner_field: j.owner_id})
    return queryset.filter(condition)


def get_visible(user: User, queryset: QuerySet, *, pk, what: str = "object", **fields) -> object:
    """Fetch one object the user may see, else NotFound (never a 403 that leaks existence)."""
    obj = scope(user, queryset, **fields).filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"未找到（{what} {pk}）", fields={"id": "未找到"})
    return obj


def can(user: User, permission: str) -> bool:
    if not user.is_authenticated:
        return False
    allowed = PERMISSIONS.get(permission)
    if allowed is None:
        raise KeyError(f"unknown permission {permission!r}")
    return bool(user.roles & allowed)


def require(user: User, permission: str) -> None:
    """Role check for an object the caller already fetched through `get_visible`/`scope`."""
    if not can(user, permission):
        raise Forbidden("您的角色无权办理此项", fields={"role": ",".join(sorted(user.roles))})


def is_grid_staff(user: User) -> bool:
    return bool(user.roles & GRID_STAFF)
