"""The event-log stories share one small history and one way of playing the attacker."""
import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from core import append_only, events

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def history(world):
    """Five events an hour apart on 2026-09-29, as a pause/resume story in 雁塔 would log them."""
    start = dt.datetime(2026, 9, 29, 9, 0, tzinfo=SHANGHAI)
    story = [
        dict(actor=world.alice, verb="application.created", subject_type="applications.application", subject_id="17",
             data={"capacity_kva": 160, "channel": "online"}),
        dict(actor=world.bob, verb="application.accepted", subject_type="applications.application", subject_id="17"),
        dict(actor=world.bob, verb="stage.paused", subject_type="applications.stage", subject_id="41",
             data={"reason": "awaiting_documents", "before": {"status": "running"}, "after": {"status": "paused"}}),
        dict(actor=world.alice, verb="document.uploaded", subject=world.orgs.sgcc_yanta, data={"type": "营业执照"}),
        dict(actor="job:escalations", verb="stage.resumed", subject_type="applications.stage", subject_id="41"),
    ]
    recorded = []
    for hour, kwargs in enumerate(story):
        with time_machine.travel(start + dt.timedelta(hours=hour), tick=False):
            recorded.append(events.record(**kwargs))
    return SimpleNamespace(events=recorded, start=start)


@pytest.fixture
def attacker():
    """Someone with DDL rights: drops the append-only triggers, then writes raw SQL. The
    test transaction rolls the dropped triggers back with everything else."""
    append_only.remove(connection)

    def sql(statement, params=()):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return sql
