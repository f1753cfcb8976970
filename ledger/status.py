"""A task's status today, from what is stored. Pure: no Django.

The responsible unit moves a task to in progress and reports; the energy bureau accepts a
report as done. Overdue and at risk are never typed in: they follow from the deadline, the
milestones and the check-ins, so they are always current and cannot be forgotten.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from ledger.deadlines import DeadlineKind

# Our settings, not the seeds': how near a deadline a task turns 'at risk', and how often an
# ongoing task must check in (the seeds ask for 月统计、季分析 reporting: a quarter).
AT_RISK_WITHIN = timedelta(days=30)
CHECK_IN_EVERY = timedelta(days=92)


class TaskStatus(str, Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


STORED = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE)


@dataclass(frozen=True)
class Standing:
    status: TaskStatus
    reason: str  # 中文, shown next to the status
    check_in_due: date | None = None


def standing(
    *,
    stored: TaskStatus,
    deadline_kind: DeadlineKind,
    deadline: date | None,
    open_milestones: list[date],
    open_rectifications_due: list[date],
    last_check_in: date | None,
    since: date,
    today: date,
) -> Standing:
    """`since`: when the task was loaded (the first check-in of an ongoing task counts from it)."""
    if deadline_kind in (DeadlineKind.ONGOING, DeadlineKind.DONE_ONGOING):
        due = (last_check_in or since) + CHECK_IN_EVERY
        if stored != TaskStatus.DONE or deadline_kind == DeadlineKind.DONE_ONGOING:
            if today > due:
                return Standing(TaskStatus.AT_RISK, f"持续性任务应于 {due.isoformat()} 前报送检查情况，已逾期", due)
            if any(d < today for d in open_rectifications_due):
                return Standing(TaskStatus.OVERDUE, "整改事项已超期未完成", due)
        return Standing(stored, "持续巩固，按期报送检查情况" if stored == TaskStatus.DONE else "持续推进", due)
    if stored == TaskStatus.DONE:
        return Standing(TaskStatus.DONE, "已验收完成")
    if deadline is not None and today > deadline:
        return Standing(TaskStatus.OVERDUE, f"完成时间 {deadline.isoformat()} 已过，尚未验收完成")
    missed = [d for d in [*open_milestones, *open_rectifications_due] if d < today]
    if missed:
        return Standing(TaskStatus.OVERDUE, f"阶段性目标 {min(missed).isoformat()} 已过，尚未完成")
    if deadline is not None and deadline - today <= AT_RISK_WITHIN:
        return Standing(TaskStatus.AT_RISK, f"距完成时间 {deadline.isoformat()} 不足 {AT_RISK_WITHIN.days} 天")
    return Standing(stored, "")
