"""Time-driven work for the outbox: delivery right after a commit, plus a periodic sweep that
retries failures (after their back-off) and picks up rows a crashed worker left behind."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from core import outbox


@db_task()
def deliver_outbox() -> dict[str, int]:
    return outbox.deliver_due().as_dict()


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> dict[str, int]:
    return outbox.deliver_due().as_dict()
