"""Time-driven work for approvals: one periodic sweep."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from approvals import actions


@db_periodic_task(crontab(minute="*/15"))
def check_overdue_cases() -> dict[str, int]:
    """Overdue department cases escalate to the department supervisor, once."""
    return actions.cases_check_overdue()
