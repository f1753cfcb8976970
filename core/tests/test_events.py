import datetime as dt
import decimal
import json
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core import events
from core.errors import InvalidInput
from core.models import GENESIS_HASH, ChainHead, Event

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.timezone.utc


def broken(result):
    assert result.ok is False
    return result.first_broken


# --- writing --------------------------------------------------------------------------


def test_a_chain_of_events_verifies_and_links_each_to_the_one_before(history):
    rows = list(Event.objects.order_by("seq"))
    assert rows[-5:] == history.events
    assert [e.seq for e in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:], strict=False))
    head = ChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (rows[-1].seq, rows[-1].hash)

    result = events.verify()
    assert result.ok, result.first_broken
    assert (result.events, result.head, result.first_broken) == (len(rows), rows[-1].hash, None)


def test_the_actor_is_kept_by_reference_and_by_name(history, world):
    created, *_, resumed = history.events
    assert (created.actor, created.actor_label) == (world.alice, "alice")
    assert (resumed.actor, resumed.actor_label) == (None, "job:escalations")
    assert events.record(actor=None, verb="calendar.imported").actor_label == "system"


def test_a_model_instance_as_subject_gives_app_label_model_and_pk(history, world):
    uploaded = Event.objects.get(pk=history.events[3].pk)
    assert (uploaded.subject_type, uploaded.subject_id) == ("accounts.organisation", str(world.orgs.sgcc_yanta.pk))
    timeline = Event.objects.filter(subject_type="applications.stage", subject_id="41")
    assert [e.verb for e in timeline] == ["stage.paused", "stage.resumed"]


def test_the_client_supplied_time_is_a_claim_never_the_event_time(world):
    server_now = dt.datetime(2026, 10, 9, 16, 30, tzinfo=SHANGHAI)
    # The applicant says the site survey happened a week earlier; the log records when it was said.
    claimed = dt.datetime(2026, 10, 2, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(server_now, tick=False):
        event = events.record(actor=world.bob, verb="stage.completed", claimed_at=claimed)
    event.refresh_from_db()
    assert event.at == server_now
    assert event.claimed_at == claimed
    assert events.verify().ok


def test_a_claimed_time_without_offset_is_read_as_china_time(world):
    # Even while a request has activated another time zone for display.
    with timezone.override(ZoneInfo("Europe/London")):
        event = events.record(actor=world.bob, verb="stage.completed", claimed_at=dt.datetime(2026, 10, 2, 10, 0))
    event.refresh_from_db()
    assert event.claimed_at == dt.datetime(2026, 10, 2, 2, 0, tzinfo=UTC)


def test_a_server_clock_stepping_back_never_backdates_an_event(world):
    later = dt.datetime(2026, 9, 30, 12, 0, tzinfo=SHANGHAI)
    with time_machine.travel(later, tick=False):
        first = events.record(actor=world.bob, verb="stage.completed")
    with time_machine.travel(later - dt.timedelta(minutes=5), tick=False):
        second = events.record(actor=world.bob, verb="stage.started")
    assert second.at == first.at == later
    assert events.verify().ok


def test_an_event_rolled_back_with_its_action_leaves_no_gap(world):
    first = events.record(actor=world.bob, verb="application.accepted")
    with pytest.raises(RuntimeError), transaction.atomic():
        events.record(actor=world.bob, verb="stage.completed")
        raise RuntimeError("the action failed after logging")
    after_rollback = events.record(actor=world.bob, verb="stage.paused")
    assert after_rollback.seq == first.seq + 1
    assert events.verify().ok


def test_data_is_stored_in_its_fixed_json_form(world):
    at = dt.datetime(2026, 9, 29, 9, 0, tzinfo=SHANGHAI)
    ref = uuid.UUID("12345678-1234-5678-1234-567812345678")
    event = events.record(
        actor=world.bob, verb="fee.added",
        data={"fee": decimal.Decimal("1200.50"), "due": dt.date(2026, 10, 9), "at": at, "ref": ref,
              "kva": 160.0, "share": 0.8, "big": 1e20, "items": ("meter", "cable")},
    )
    event.refresh_from_db()
    assert event.data == {
        "fee": "1200.50", "due": "2026-10-09", "at": "2026-09-29T01:00:00.000000+00:00", "ref": str(ref),
        "kva": 160, "share": 0.8, "big": 100000000000000000000, "items": ["meter", "cable"],
    }
    assert events.verify().ok


def test_canonical_json_is_sorted_compact_utf8():
    assert events.canonical_json({"b": [1, 2.5], "a": "获得电力"}) == '{"a":"获得电力","b":[1,2.5]}'.encode()
    assert events.canonical_json({"a": 1, "b": 2}) == events.canonical_json({"b": 2, "a": 1})


# NUL is refused on purpose (jsonb cannot hold it); everything else JSON can say must survive.
json_text = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | json_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_text, inner, max_size=4),
    max_leaves=12,
)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=json_values)
def test_any_json_data_reads_back_with_the_same_hash(db, payload):
    # The hash is recomputed from what the database returns: jsonb or text must give back the same value.
    event = events.record(actor="job:test", verb="project.updated", data={"payload": payload})
    stored = Event.objects.get(pk=event.pk)
    assert events.chain_hash(event=stored, secret=settings.AUDIT_KEY.encode()) == event.hash


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(verb="Stage Paused"), "verb"),
        (dict(verb="paused"), "verb"),
        (dict(verb="stage.exploded"), "verb"),  # well-formed but declared by no app
        (dict(verb="stage.paused", data={"tags": {"a", "b"}}), "data.tags"),
        (dict(verb="stage.paused", data={"at": dt.datetime(2026, 9, 29, 9, 0)}), "data.at"),
        (dict(verb="stage.paused", data={"ratio": float("nan")}), "data.ratio"),
        (dict(verb="stage.paused", data={"note": "a\x00b"}), "data.note"),
        (dict(verb="stage.paused", data={1: "x"}), "data"),
        (dict(verb="stage.paused", data=["not", "an", "object"]), "data"),
        (dict(verb="stage.paused", subject_type="applications.stage"), "subject_id"),
        (dict(verb="stage.paused", subject_id="41"), "subject_type"),
        (dict(verb="stage.paused", subject_type="x" * 101, subject_id="41"), "subject_type"),
        (dict(verb="stage.paused", claimed_at=dt.date(2026, 9, 29)), "claimed_at"),
        (dict(actor=" ", verb="stage.paused"), "actor"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(world, kwargs, field):
    kwargs.setdefault("actor", world.bob)
    before = (Event.objects.count(), list(ChainHead.objects.values()))
    with pytest.raises(InvalidInput) as caught:
        events.record(**kwargs)
    assert field in caught.value.fields
    assert (Event.objects.count(), list(ChainHead.objects.values())) == before


def test_a_subject_is_a_saved_instance_or_a_type_and_id_not_both(world):
    from accounts.models import Organisation

    with pytest.raises(InvalidInput) as unsaved:
        events.record(actor=world.bob, verb="organisation.created", subject=Organisation(code="new"))
    assert "not saved" in unsaved.value.fields["subject"]
    with pytest.raises(InvalidInput) as both:
        events.record(actor=world.bob, verb="organisation.created", subject=world.orgs.sgcc, subject_type="x.y", subject_id="1")
    assert "not both" in both.value.fields["subject"]


# --- tampering ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column, value",
    [
        ("data", json.dumps({"reason": "customer_requested_date"})),
        ("verb", "stage.resumed"),
        ("actor_label", "carol"),
        ("subject_id", "42"),
    ],
)
def test_an_edited_event_is_named(history, attacker, column, value):
    paused = history.events[2]
    attacker(f"UPDATE core_event SET {column} = %s WHERE seq = %s", [value, paused.seq])
    result = events.verify()
    first = broken(result)
    assert (first.seq, first.id) == (paused.seq, paused.pk)
    assert first.problem.startswith("edited")
    assert result.events == paused.seq - 1


def test_moving_an_event_time_is_caught_as_an_edit(history, attacker):
    # The paused stage made to look paused an hour earlier (still after #2, so only the hash tells).
    accepted, paused = history.events[1:3]
    attacker("UPDATE core_event SET at = %s WHERE seq = %s", [accepted.at, paused.seq])
    first = broken(events.verify())
    assert first.seq == paused.seq and first.problem.startswith("edited")


def test_a_deleted_middle_event_is_named_by_the_gap_it_leaves(history, attacker):
    paused, uploaded = history.events[2:4]
    attacker("DELETE FROM core_event WHERE seq = %s", [paused.seq])
    first = broken(events.verify())
    assert (first.seq, first.id, first.verb) == (uploaded.seq, uploaded.pk, "document.uploaded")
    assert first.problem.startswith("deleted") and f"#{paused.seq} missing" in first.problem


def test_a_deleted_last_event_is_caught_by_the_chain_head(history, attacker):
    last = history.events[-1]
    attacker("DELETE FROM core_event WHERE seq = %s", [last.seq])
    result = events.verify()
    first = broken(result)
    assert (first.seq, first.id) == (last.seq, None)
    assert first.problem.startswith("head mismatch") and f"ends at #{last.seq}" in first.problem
    assert result.events == last.seq - 1


def test_a_deleted_chain_head_is_caught(history, attacker):
    # The database refuses it (core_chainhead only moves forward); someone with DDL rights can.
    attacker("DELETE FROM core_chainhead")
    first = broken(events.verify())
    assert first.seq == history.events[-1].seq and first.problem == "head mismatch: the chain head row is missing"


def test_a_chain_head_that_disagrees_with_the_last_event_is_caught(history, attacker):
    last = history.events[-1]
    attacker("UPDATE core_chainhead SET last_hash = %s", ["f" * 64])
    first = broken(events.verify())
    assert (first.seq, first.id) == (last.seq, last.pk)
    assert first.problem.startswith("head mismatch: the chain head records hash ffff")


def _forged_after(history, **changes):
    """A row signed with the real key (an insider who has it), so only ordering can betray it."""
    last = history.events[-1]
    fields = dict(
        seq=last.seq + 1, at=last.at, actor_id=None, actor_label="system", verb="stage.completed",
        subject_type="applications.stage", subject_id="41", data={}, claimed_at=None, prev_hash=last.hash,
    )
    fields.update(changes)
    forged = Event(**fields)
    forged.hash = events.chain_hash(event=forged, secret=settings.AUDIT_KEY.encode())
    # Straight INSERT, bypassing record(): the chain head is not moved.
    Event.objects.bulk_create([forged])
    return Event.objects.get(seq=forged.seq)


@pytest.mark.parametrize(
    "case, expected_problem",
    [
        ("backdated", "inserted out of order: at"),
        ("linked_to_an_older_event", "inserted out of order or preceded by a deleted event: prev_hash"),
        ("appended_behind_the_head", "inserted out of order: the chain head says the log ends at #"),
    ],
)
def test_an_event_inserted_out_of_order_is_named(history, case, expected_problem):
    changes = {
        "backdated": {"at": history.start},
        "linked_to_an_older_event": {"prev_hash": history.events[2].hash},
        "appended_behind_the_head": {},
    }[case]
    forged = _forged_after(history, **changes)
    first = broken(events.verify())
    assert (first.seq, first.id, first.verb) == (history.events[-1].seq + 1, forged.pk, "stage.completed")
    assert first.problem.startswith(expected_problem)


def test_a_chain_signed_with_another_key_fails_at_the_first_event(history):
    first = broken(events.verify(key="not-the-audit-key"))
    assert first.seq == 1
    assert "key" in first.problem


# --- concurrency ----------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks are PostgreSQL's; SQLite serialises writers with BEGIN IMMEDIATE on one file",
)
@pytest.mark.django_db(transaction=True)
def test_ten_writers_at_once_make_one_gap_free_chain_that_verifies_while_growing():
    writers, per_writer = 10, 8
    start = threading.Barrier(writers + 1)
    writing = threading.Event()
    failures, verdicts = [], []

    def write(n):
        try:
            start.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    events.record(actor=f"job:writer-{n}", verb="stage.started", data={"writer": n, "i": i})
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            failures.append(exc)
        finally:
            connection.close()

    def check_while_writing():
        # verify reads the head after its walk: rows committed meanwhile must not look like a cut tail.
        try:
            start.wait()
            while writing.is_set():
                verdicts.append(events.verify())
        except Exception as exc:
            failures.append(exc)
        finally:
            connection.close()

    writing.set()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    checker = threading.Thread(target=check_while_writing)
    for thread in [*threads, checker]:
        thread.start()
    for thread in threads:
        thread.join()
    writing.clear()
    checker.join()

    assert failures == []
    assert list(Event.objects.values_list("seq", flat=True)) == list(range(1, writers * per_writer + 1))
    for n in range(writers):
        # Each writer's own events keep the order it wrote them in.
        mine = Event.objects.filter(actor_label=f"job:writer-{n}").values_list("data__i", flat=True)
        assert list(mine) == list(range(per_writer))
    assert verdicts and [v.first_broken for v in verdicts if not v.ok] == []
    result = events.verify()
    assert result.ok, result.first_broken
    assert result.events == writers * per_writer


def test_every_verb_the_code_records_is_declared_with_its_chinese_label():
    """Each app's verbs.py is gathered at start-up; a label is 中文, never the code itself."""
    from core import verbs

    assert verbs.label("stage.paused") == "暂停计时"
    assert verbs.label("calendar.imported") == "导入节假日安排"
    for verb, text in verbs.VERBS.items():
        assert events.VERB_PATTERN.fullmatch(verb), verb
        assert text != verb and any("\u4e00" <= ch <= "\u9fff" for ch in text), (verb, text)


def test_two_apps_declaring_one_verb_differently_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    from core import verbs

    into = {"stage.paused": "暂停计时"}
    with pytest.raises(ImproperlyConfigured, match="stage.paused"):
        verbs._merge(into, {"stage.paused": "暂停"}, module="other.verbs", what="verb")


def test_a_user_named_by_phone_or_email_is_logged_by_id_and_a_masked_label(world):
    from accounts import actions as accounts
    from accounts.roles import Role

    legacy = accounts.user_create(username="13800138000", password=world.password, role=Role.APPLICANT)
    mailed = accounts.user_create(username="li.lei@example.com", password=world.password, role=Role.APPLICANT)
    by_phone = events.record(actor=legacy, verb="complaint.filed")
    by_mail = events.record(actor=mailed, verb="complaint.filed")
    assert (by_phone.actor_id, by_phone.actor_label) == (legacy.pk, "1380***8000")
    assert "li.lei" not in by_mail.actor_label and by_mail.actor_id == mailed.pk
    assert not Event.objects.filter(actor_label__contains="13800138000").exists()
    assert events.record(actor=world.bob, verb="complaint.filed").actor_label == "bob"
