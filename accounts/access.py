"""The only way code fetches what a user may see, and checks what a user may do.

Jurisdiction: a staff user sees the division subtree of each organisation they belong
to, within their own utility; an applicant sees only their own records; admins and the
regulator of a division see everything below it. Invisible objects answer NotFound (404)
so their existence does not leak; visible objects the role may not act on answer Forbidden.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet

from accounts.models import Division, Membership, Organisation, User
from accounts.roles import GRID_STAFF, PERMISSIONS, Role
from core.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Jurisdiction:
    everything: bool
    # The divisions of the user's staff organisations; they see these and everything below.
    root_ids: frozenset[int]
    # None: any utility (government, regulator); otherwise utility root organisation ids.
    utility_ids: frozenset[int] | None
    owner_id: int | None

    @cached_property
    def division_ids(self) -> frozenset[int]:
        """Every division in the jurisdiction, read when asked (scope() filters by a subquery)."""
        return frozenset(division_subtree(set(self.root_ids))) if self.root_ids else frozenset()

    def divisions_below(self) -> QuerySet:
        """The divisions of the jurisdiction as a subquery: no round trip of its own."""
        return Division.objects.filter(_below(self.root_ids) | Q(pk__in=self.root_ids)).order_by().values("pk")


# A division's descendants up to this many levels below it come back in one query; the tree
# is province → city → county, so one query covers any root.
_SUBTREE_DEPTH = 3


_ANCESTRY = [f"{'parent__' * depth}parent_id" for depth in range(_SUBTREE_DEPTH)]


def _below(root_ids) -> Q:
    """Divisions up to _SUBTREE_DEPTH levels below the roots (all of them, for our tree)."""
    below = Q(pk__in=[])
    for lookup in _ANCESTRY:
        below |= Q(**{f"{lookup}__in": root_ids})
    return below


def division_subtree(root_ids: set[int]) -> set[int]:
    """All divisions at or below the given ones, in one query for the shallow tree we have
    (deeper trees cost one more query per three levels)."""
    seen = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        rows = Division.objects.filter(_below(frontier)).order_by().values_list("id", _ANCESTRY[-1])
        seen |= {division_id for division_id, _ in rows}
        # Only divisions found at the deepest level may have children not fetched yet.
        frontier = {division_id for division_id, deepest in rows if deepest in frontier} - frontier
    return seen


def memberships(user: User) -> list[Membership]:
    """The user's memberships with their organisations (and the utility chain above them),
    read once per request; the user's roles come from the same rows."""
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation__parent__parent__parent"))
        user._memberships_cache = cached
    if not hasattr(user, "_roles_cache"):
        user._roles_cache = {m.role for m in cached} | ({Role.ADMIN} if user.is_superuser else set())
    return cached


def jurisdiction(user: User) -> Jurisdiction:
    cached = getattr(user, "_jurisdiction_cache", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        result = Jurisdiction(False, frozenset(), frozenset(), None)
    elif user.is_superuser or Role.ADMIN in {m.role for m in memberships(user)}:
        result = Jurisdiction(True, frozenset(), None, None)
    else:
        roots, utilities, any_utility = set(), set(), False
        for membership in memberships(user):
            if membership.role == Role.APPLICANT or membership.organisation is None:
                continue
            org: Organisation = membership.organisation
            roots.add(org.division_id)
            if org.kind == Organisation.Kind.UTILITY:
                utilities.add(org.utility_root.id)
            else:
                any_utility = True
        result = Jurisdiction(
            everything=False,
            root_ids=frozenset(roots),
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
    if j.root_ids:
        staff = Q(**{f"{division_field}__in": j.divisions_below()})
        if utility_field and j.utility_ids is not None:
            staff &= Q(**{f"{utility_field}__in": j.utility_ids})
        condition |= staff
    if owner_field and j.owner_id is not None:
        condition |= Q(**{owner_field: j.owner_id})
    return queryset.filter(condition)


def get_visible(user: User, queryset: QuerySet, *, pk, what: str = "object", **fields) -> object:
    """Fetch one object the user may see, else NotFound (never a 403 that leaks existence)."""
    # One row by its key: no ordering to compile (first() would add one).
    obj = next(iter(scope(user, queryset, **fields).filter(pk=pk).order_by()[:1]), None)
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
