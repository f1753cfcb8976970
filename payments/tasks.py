"""Time-driven work for payments: settle the ones a crash left pending."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from payments import actions


@db_periodic_task(crontab(minute="*/5"))
def reconcile_payments() -> dict[str, int]:
    return actions.payments_reconcile()
