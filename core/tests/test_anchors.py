"""The log anchored outside the database: wiping it, cutting its tail or restoring an older
backup all verify as intact from inside the database alone; the anchors catch each."""
import json
import threading
import urllib.error
import urllib.request
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from core import anchors, audit, events
from core.models import ChainHead, Event
from core.verbs import Origin


@pytest.fixture
def store(tmp_path, settings):
    settings.ANCHOR_STORE = f"file:{tmp_path / 'anchors.jsonl'}"
    return anchors.store()


def audit_cli(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def rewind_to(sql, seq):
    """What restoring an older backup leaves: the log and its head both end at `seq`."""
    kept = Event.objects.get(seq=seq)
    sql("DELETE FROM core_event WHERE seq > %s", [seq])
    sql("UPDATE core_chainhead SET last_seq = %s, last_hash = %s, last_at = %s", [seq, kept.hash, kept.at])


def test_anchor_writes_the_signed_head_once_per_new_head(history, store):
    code, out, _ = audit_cli("anchor")
    last = history.events[-1]
    assert code == 0 and out.startswith(f"anchored #{last.seq} {last.hash[:16]}")
    [written] = store.all()
    assert (written.seq, written.hash) == (last.seq, last.hash)
    assert anchors.signature_holds(written)
    assert not anchors.signature_holds(written, key="another-key")
    assert audit_cli("anchor")[1].startswith("nothing new to anchor")
    assert len(store.all()) == 1
    assert audit_cli("verify")[0] == 0


def test_a_wiped_log_verifies_intact_alone_but_not_against_its_anchor(history, store, attacker):
    anchors.anchor()
    attacker("DELETE FROM core_event")
    attacker("DELETE FROM core_chainhead")
    assert events.verify().ok  # what the database alone says
    code, _, err = audit_cli("verify")
    assert code == 1
    assert f"empty log after anchors: #{history.events[-1].seq} was anchored" in err


def test_a_restored_older_backup_is_a_head_behind_the_last_anchor(history, store, attacker):
    anchors.anchor()
    kept = history.events[1].seq
    rewind_to(attacker, kept)
    assert events.verify().ok
    code, out, _ = audit_cli("verify", "--json")
    report = json.loads(out)
    assert code == 1 and report["first_broken"] is None and not report["ok"]
    assert report["anchors"] == [
        f"head behind the last anchor: the log ends at #{kept}, #{history.events[-1].seq} was anchored at "
        f"{store.all()[-1].anchored_at} (cut off, or restored from an older backup)"
    ]


def test_a_rewritten_tail_is_an_anchored_event_changed(history, store, attacker):
    anchors.anchor()
    rewind_to(attacker, history.events[1].seq)
    # Whoever rewrites the tail holds the key too, so the new events chain correctly.
    for verb in ("stage.paused", "stage.resumed", "stage.paused"):
        events.record(actor="job:rewrite", verb=verb)
    assert events.verify().ok
    problems = audit.verify().anchor_problems
    assert problems and problems[0].startswith(f"anchored event changed: #{history.events[-1].seq}")


def test_a_forged_anchor_line_is_reported(history, store):
    anchors.anchor()
    genuine = store.all()[-1].as_dict()
    store.append(anchors.Anchor.from_dict({**genuine, "seq": genuine["seq"] + 100}))
    problems = audit.verify().anchor_problems
    assert problems == [f"anchor forged: the anchor(s) for #{genuine['seq'] + 100} do not carry the audit key's signature"]


def test_the_periodic_job_anchors_the_head(history, store):
    from core.tasks import anchor_chain_head

    anchor_chain_head.call_local()
    assert store.all()[-1].seq == history.events[-1].seq


def refused(statement, params=()):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_chain_head_only_moves_forward(history):
    refused("UPDATE core_chainhead SET last_seq = 2")
    refused("UPDATE core_chainhead SET last_hash = %s", ["0" * 64])
    refused("DELETE FROM core_chainhead")
    assert ChainHead.objects.get().last_seq == history.events[-1].seq
    events.record(actor="job:test", verb="stage.resumed")
    assert events.verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # PostgreSQL refuses TRUNCATE with deferred checks pending
def test_postgresql_refuses_truncate_of_the_log_and_the_head(history):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE triggers exist on PostgreSQL only (SQLite has no TRUNCATE)")
    refused("TRUNCATE core_event, core_chainhead")
    refused("TRUNCATE core_chainhead")
    assert Event.objects.count() == history.events[-1].seq


@pytest.fixture
def witness(tmp_path):
    from core.witness import make_server

    server = make_server(host="127.0.0.1", port=0, path=tmp_path / "witness.jsonl")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_an_http_witness_keeps_the_anchors_and_refuses_a_rewind(history, witness, attacker, tmp_path):
    code, out, _ = audit_cli("anchor", "--store", witness, "--json")
    assert code == 0 and json.loads(out)["anchor"]["seq"] == history.events[-1].seq
    with urllib.request.urlopen(f"{witness}/anchors") as answer:
        assert [a["seq"] for a in json.loads(answer.read())["anchors"]] == [history.events[-1].seq]
    assert (tmp_path / "witness.jsonl").read_text().count("\n") == 1

    rewind_to(attacker, history.events[1].seq)
    code, _, err = audit_cli("verify", "--store", witness)
    assert code == 1 and "head behind the last anchor" in err
    # The rewound log cannot re-anchor itself below what the witness already holds.
    with pytest.raises(Exception, match="refused the anchor: 409"):
        anchors.anchor(into=anchors.store(witness))


def test_rows_written_around_the_actions_are_reported_as_unexplained(world):
    from accounts.models import Organisation

    origins = [Origin(model="accounts.Organisation", verb="organisation.created")]
    assert audit.unexplained_rows(origins) == []
    smuggled = Organisation.objects.create(code="ghost", name="体外单位", kind=Organisation.Kind.UTILITY,
                                           division=world.divisions.yanta)
    assert audit.unexplained_rows(origins) == [
        f"unexplained state: accounts.organisation:{smuggled.pk} has no organisation.created event"]


def test_applications_fees_and_payments_are_declared_as_explained_by_their_events():
    from core import verbs

    assert {(o.model, o.verb) for o in verbs.ORIGINS} >= {
        ("applications.Application", "application.created"), ("applications.Fee", "fee.added"),
        ("payments.Payment", "payment.started")}
