"""The only way the ledger fetches tasks for a user, and decides who may report or review.

A task belongs to a region; staff see the ledgers of the regions their organisations are in
(admins see all). A unit may report on a task whose responsible units include its kind;
only an energy bureau (能源主管部门) officer of the region, or an admin, reviews.
"""
from __future__ import annotations

from django.db.models import QuerySet

from accounts import access
from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from core.errors import Forbidden, NotFound
from ledger.models import Task
from ledger.units import holds


def regions_of(user: User) -> set[str] | None:
    """The policy regions a user works in; None: every region (admin)."""
    j = access.jurisdiction(user)
    if j.everything:
        return None
    return set(
        Membership.objects.filter(user=user, organisation__isnull=False)
        .values_list("organisation__division__policy_region", flat=True)
    )


def organisations_of(user: User, region: str) -> list[Organisation]:
    return [
        m.organisation
        for m in Membership.objects.filter(user=user, organisation__division__policy_region=region)
        .exclude(role=Role.APPLICANT)
        .select_related("organisation__division")
    ]


def visible_tasks(user: User) -> QuerySet[Task]:
    access.require(user, "ledger.view")
    regions = regions_of(user)
    tasks = Task.objects.all()
    return tasks if regions is None else tasks.filter(region__in=regions)


def task_for(user: User, *, region: str, number: int) -> Task:
    task = visible_tasks(user).filter(region=region, number=number).first()
    if task is None:
        raise NotFound(f"找不到任务 {region} 第 {number} 号", fields={"number": "找不到该任务"})
    return task


def answers_for(org: Organisation, task: Task) -> bool:
    return any(holds(u, kind=org.kind, level=org.division.level, department=org.department) for u in task.units)


def reporting_org(user: User, task: Task) -> Organisation:
    """The user's organisation that answers for this task, else Forbidden naming the units."""
    access.require(user, "ledger.report")
    for org in organisations_of(user, task.region):
        if answers_for(org, task):
            return org
    if Role.ADMIN in user.roles:
        org = Organisation.objects.filter(memberships__user=user).first()
        if org is not None:
            return org
    raise Forbidden("你所在单位不是该任务的责任单位", fields={"task": task.responsible or "—"})


def require_reviewer(user: User, task: Task) -> None:
    access.require(user, "ledger.review")
    if Role.ADMIN in user.roles:
        return
    if not any(org.kind == Organisation.Kind.ENERGY_BUREAU for org in organisations_of(user, task.region)):
        raise Forbidden("只有本地区能源（电力）主管部门可以审核任务进展", fields={"role": "energy_bureau"})


def my_tasks(user: User) -> list[Task]:
    """Tasks the user's organisations answer for (任务“我的”视图)."""
    tasks = list(visible_tasks(user).filter(empty=False))
    orgs = [m.organisation for m in Membership.objects.filter(user=user, organisation__isnull=False)
            .select_related("organisation__division")]
    return [t for t in tasks if any(o.division.policy_region == t.region and answers_for(o, t) for o in orgs)]
