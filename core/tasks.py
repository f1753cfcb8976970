"""Time-driven work of the event log: anchor the chain head outside the database."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core import anchors


@db_periodic_task(crontab(minute="*/5"))
def anchor_chain_head() -> int | None:
    """Every five minutes: a cut or rewound log is caught at most five minutes of events late."""
    made = anchors.anchor()
    return made.seq if made else None
