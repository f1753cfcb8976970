"""Time-driven work for complaints: one periodic sweep marks unanswered cases overdue."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from complaints import actions


@db_periodic_task(crontab(minute="*/15"))
def check_overdue() -> int:
    return actions.complaints_check_overdue()
