"""Time-driven work for applications: one periodic sweep (healthchecks' `sendalerts` shape)."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from applications import actions


@db_periodic_task(crontab(minute="*/15"))
def check_deadlines() -> dict[str, int]:
    """Warnings, overdue marks, notices and 督办; safe to run as often as wanted."""
    return actions.stages_check_deadlines()
