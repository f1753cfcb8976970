"""Time-driven work of core: outbox delivery right after a commit, a periodic sweep that
retries failures (after their back-off) and picks up rows a crashed worker left behind, and
the anchoring of the event log's head outside the database."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from core import anchors, outbox


@db_task()
def deliver_outbox() -> dict[str, int]:
    return outbox.deliver_due().as_dict()


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> dict[str, int]:
    return outbox.deliver_due().as_dict()


@db_periodic_task(crontab(minute="*/5"))
def anchor_chain_head() -> int | None:
    """Every five minutes: a cut or rewound log is caught at most five minutes of events late."""
    made = anchors.anchor()
    return made.seq if made else None
