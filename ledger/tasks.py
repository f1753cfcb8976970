"""Time-driven work for the ledger: one daily sweep telling units which tasks need them."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ledger import actions


@db_periodic_task(crontab(hour="8", minute="30"))
def remind() -> int:
    """Overdue, at-risk and check-in-due tasks to their responsible units; idempotent per day."""
    return actions.ledger_remind()
