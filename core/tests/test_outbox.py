"""The outbox: a message is written with its change, delivered once, retried with back-off
and given up on (`dead`) after the configured number of failures."""
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from core import outbox
from core.channels import CHANNELS
from core.errors import InvalidInput
from core.models import OutboxMessage
from core.tests.gateway import SmsGateway

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 9, 29, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def sms(settings):
    with SmsGateway() as gateway:
        settings.NOTIFY_CHANNEL = "sms"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TIMEOUT = 5
        yield gateway


def _alice_with_phone(world):
    world.alice.phone = "13800138000"
    world.alice.save(update_fields=["phone"])
    return world.alice


def test_a_message_to_a_user_is_in_app_at_once_and_queued_for_their_channel(world):
    with time_machine.travel(T0, tick=False):
        message = outbox.enqueue(kind="accepted", text="您的用电申请已受理。", key="t:accepted:alice", user=world.alice)
    rows = {m.channel: m for m in OutboxMessage.objects.filter(user=world.alice)}
    assert message == rows["inapp"]
    assert rows["inapp"].status == "sent" and rows["inapp"].read_at is None
    assert rows["console"].status == "pending"
    assert outbox.unread_count(world.alice) == 1

    before = len(CHANNELS["console"].sent)
    run = outbox.deliver_due()
    assert run.sent == 1
    assert list(CHANNELS["console"].sent)[-1] == ("", "您的用电申请已受理。")
    assert len(CHANNELS["console"].sent) == min(before + 1, CHANNELS["console"].sent.maxlen)
    assert OutboxMessage.objects.get(channel="console").status == "sent"


def test_the_same_recipient_event_twice_is_one_message(world):
    first = outbox.enqueue(kind="accepted", text="已受理", key="t:once", user=world.alice)
    again = outbox.enqueue(kind="accepted", text="已受理（重复）", key="t:once", user=world.alice)
    assert again.pk == first.pk
    assert OutboxMessage.objects.filter(user=world.alice).count() == 2  # in-app + console, once each


def test_a_rolled_back_change_leaves_no_message(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(kind="accepted", text="已受理", key="t:rolled", user=world.alice)
        raise RuntimeError("the action failed after writing its message")
    assert not OutboxMessage.objects.exists()


def test_bad_messages_are_refused_naming_the_field(world):
    with pytest.raises(InvalidInput) as kind:
        outbox.enqueue(kind="nonsense", text="x", key="k1", user=world.alice)
    assert "kind" in kind.value.fields
    with pytest.raises(InvalidInput) as text:
        outbox.enqueue(kind="accepted", text="x" * 2001, key="k2", user=world.alice)
    assert "text" in text.value.fields
    with pytest.raises(InvalidInput) as nobody:
        outbox.enqueue(kind="accepted", text="x", key="k3")
    assert "user" in nobody.value.fields
    with pytest.raises(InvalidInput) as inapp:
        outbox.enqueue(kind="accepted", text="x", key="k4", contact={"name": "张三", "phone": "13900000000"},
                       channels=["inapp"])
    assert "channels" in inapp.value.fields


def test_a_contact_who_is_not_a_user_gets_an_sms_and_no_in_app_row(world, sms):
    outbox.enqueue(kind="accepted", text="【getpower】您的用电申请已受理。", key="t:contact",
                   contact={"name": "张三", "phone": "13900000000"})
    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == ["sms"]
    assert outbox.deliver_due().sent == 1
    assert [(r["to"], r["key"]) for r in sms.requests] == [("13900000000", "t:contact")]
    # The phone number is stored encrypted, never in clear.
    assert "13900000000" not in OutboxMessage.objects.get().destination_enc


def test_a_failing_gateway_is_retried_with_doubling_waits_then_the_message_is_dead(world, sms, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_BACKOFF_SECONDS = 30
    alice = _alice_with_phone(world)
    sms.fail_with = 503
    with time_machine.travel(T0, tick=False):
        outbox.enqueue(kind="fee_due", text="请缴纳费用", key="t:fee", user=alice)
    row = lambda: OutboxMessage.objects.get(channel="sms")  # noqa: E731
    now = T0
    waits = []
    for attempt in range(1, 5):
        with time_machine.travel(now, tick=False):
            assert outbox.deliver_due().as_dict()["failed" if attempt < 4 else "dead"] == 1
            # Not due again before its wait is over.
            assert outbox.deliver_due().as_dict() == {"sent": 0, "failed": 0, "dead": 0}
        message = row()
        assert message.attempts == attempt and "503" in message.last_error
        if attempt < 4:
            assert message.status == "failed"
            waits.append((message.next_attempt_at - now).total_seconds())
            now = message.next_attempt_at
    assert waits == [30, 60, 120]
    assert row().status == "dead"
    assert len(sms.requests) == 4
    assert outbox.stats() == {"pending": 0, "sent": 1, "failed": 0, "dead": 1}  # the in-app row is sent

    # The operator fixes the gateway and retries: delivered, once.
    sms.fail_with = None
    out = io.StringIO()
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False):
        call_command("outbox", "retry", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"retried": 1, "sent": 1, "failed": 0, "dead": 0}
    assert row().status == "sent"
    assert list(sms.delivered) == ["t:fee#sms"]


def test_delivery_starts_right_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue(kind="accepted", text="已受理", key="t:commit", user=world.alice)
        assert OutboxMessage.objects.get(channel="console").status == "pending"
    assert OutboxMessage.objects.get(channel="console").status == "sent"  # huey runs inline in tests


def test_a_claimed_message_is_not_sent_by_a_second_worker_until_its_lease_runs_out(world, settings):
    settings.OUTBOX_LEASE_SECONDS = 120
    with time_machine.travel(T0, tick=False):
        outbox.enqueue(kind="accepted", text="已受理", key="t:lease", user=world.alice)
        claimed = outbox._claim(limit=10)  # a worker took it and died before sending
        assert [m.channel for m in claimed] == ["console"]
        assert outbox.deliver_due().sent == 0
    with time_machine.travel(T0 + dt.timedelta(seconds=121), tick=False):
        assert outbox.deliver_due().sent == 1
    assert OutboxMessage.objects.get(channel="console").attempts == 2


def test_commands_list_messages_and_count_them_by_status(world):
    outbox.enqueue(kind="accepted", text="您的申请已受理", key="t:cmd", user=world.alice)
    outbox.enqueue(kind="warning", text="环节将到期", key="t:cmd2", user=world.bob)
    out = io.StringIO()
    call_command("notifications", "list", "--user", "alice", "--json", stdout=out)
    items = json.loads(out.getvalue())["items"]
    assert {(i["recipient"], i["kind"], i["channel"], i["status"], i["read"]) for i in items} == {
        ("alice", "accepted", "inapp", "sent", False), ("alice", "accepted", "console", "pending", False)}
    assert all(i["text"] == "您的申请已受理" and i["created_at"] for i in items)
    out = io.StringIO()
    call_command("outbox", "stats", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"pending": 2, "sent": 2, "failed": 0, "dead": 0}


def test_marking_read_is_per_user(world):
    mine = outbox.enqueue(kind="accepted", text="a", key="t:r1", user=world.alice)
    outbox.enqueue(kind="accepted", text="b", key="t:r2", user=world.alice)
    other = outbox.enqueue(kind="accepted", text="c", key="t:r3", user=world.anna)
    assert outbox.mark_read(user=world.bob, message_id=mine.pk) == 0
    assert outbox.mark_read(user=world.alice, message_id=mine.pk) == 1
    assert outbox.unread_count(world.alice) == 1
    assert outbox.mark_read(user=world.alice) == 1
    assert outbox.unread_count(world.alice) == 0
    assert OutboxMessage.objects.get(pk=other.pk).read_at is None


def test_dead_messages_show_on_the_admin_list_and_can_be_retried_there(world, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    settings.NOTIFY_CHANNEL = "sms"
    settings.SMS_GATEWAY_URL = ""  # not configured: every attempt fails
    alice = _alice_with_phone(world)
    outbox.enqueue(kind="fee_due", text="请缴纳费用", key="t:admin", user=alice)
    assert outbox.deliver_due().dead == 1
    admin = world.root
    admin.is_staff = admin.is_superuser = True
    admin.save()
    from django.test import Client

    client = Client()
    client.force_login(admin)
    page = client.get("/admin/core/outboxmessage/?status__exact=dead").content.decode()
    assert "GETPOWER_SMS_URL is not set" in page and "待缴费用" in page
    dead = OutboxMessage.objects.get(status="dead")
    with SmsGateway() as gateway:
        settings.SMS_GATEWAY_URL = gateway.url
        client.post("/admin/core/outboxmessage/", {"action": "retry_now", "_selected_action": [dead.pk]})
        assert list(gateway.delivered) == ["t:admin#sms"]
    assert OutboxMessage.objects.get(pk=dead.pk).status == "sent"


@pytest.mark.parametrize("args, named", [
    (("--user", "nobody"), "--user: no user 'nobody'"),
    (("--application", "SQ-NONE"), "--application: no application 'SQ-NONE'"),
    (("--kind", "gossip"), "--kind: one of "),
    (("--limit", "0"), "--limit: 1 to 10000"),
])
def test_notifications_list_names_a_bad_filter_and_exits_1(world, args, named):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("notifications", "list", *args, stdout=io.StringIO())
    assert str(refused.value).startswith(named) and refused.value.returncode == 1


def test_notifications_list_filters_by_kind_and_channel(world):
    outbox.enqueue(kind="accepted", text="您的申请已受理", key="t:f1", user=world.alice)
    outbox.enqueue(kind="warning", text="环节将到期", key="t:f2", user=world.bob)
    out = io.StringIO()
    call_command("notifications", "list", "--kind", "warning", "--channel", "inapp", "--json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [(i["recipient"], i["kind"], i["channel"]) for i in listed["items"]] == [("bob", "warning", "inapp")]
    assert listed["count"] == 1


def test_outbox_retry_logs_the_retry_only_when_a_message_was_retried(world, settings):
    from core.models import Event

    call_command("outbox", "retry", "--json", stdout=io.StringIO())
    assert not Event.objects.filter(verb="outbox.retried").exists()
    outbox.enqueue(kind="accepted", text="已受理", key="t:retry", user=world.alice)
    OutboxMessage.objects.filter(channel="console").update(status="dead", attempts=settings.OUTBOX_MAX_ATTEMPTS)
    out = io.StringIO()
    call_command("outbox", "retry", "--json", stdout=out)
    assert json.loads(out.getvalue())["retried"] == 1
    event = Event.objects.get(verb="outbox.retried")
    assert event.data == {"messages": 1} and event.actor_label == "cli:outbox"


# ---------------------------------------------------------------- one message to many (enqueue_many)

def _to_many(world):
    """alice in-app and by phone, bob without a phone, a contact with a phone, one with only an
    e-mail (no sms address: skipped on that channel), and anna, deactivated (told nothing)."""
    _alice_with_phone(world)
    world.anna.is_active = False
    world.anna.save(update_fields=["is_active"])
    return [dict(user=world.alice), dict(user=world.bob), dict(contact={"name": "张三", "phone": "13900000000"}),
            dict(contact={"name": "李四", "email": "lisi@example.cn"}), dict(user=world.anna)]


def _rows(prefix):
    from django.conf import settings as django_settings

    from core import pii

    return sorted(
        (m.key.removeprefix(prefix), m.user_id, m.contact_name, m.kind, m.channel, m.text, m.subject_type,
         m.subject_id, m.link, m.status, m.sent_at is not None, m.attempts,
         pii.decrypt(m.destination_enc, key=django_settings.PII_KEY) if m.destination_enc else "")
        for m in OutboxMessage.objects.filter(key__startswith=prefix))


def test_a_message_to_many_writes_the_rows_one_enqueue_per_recipient_writes(world, sms):
    recipients = _to_many(world)
    subject = world.orgs.sgcc_yanta
    with time_machine.travel(T0, tick=False):
        for n, who in enumerate(recipients):
            outbox.enqueue(kind="accepted", text=" 您的用电申请已受理。 ", key=f"one:{n}", subject=subject, **who)
        written = outbox.enqueue_many(kind="accepted", text=" 您的用电申请已受理。 ", subject=subject,
                                      recipients=[outbox.Recipient(key=f"many:{n}", **who)
                                                  for n, who in enumerate(recipients)])
    assert written == OutboxMessage.objects.filter(key__startswith="many:").count() == 4
    assert _rows("many:") == _rows("one:")
    assert {key for key, *_ in _rows("many:")} == {"0", "0#sms", "1", "2"}  # bob: no phone, 李四: no sms, anna: none


def test_a_message_to_many_again_writes_nothing_more(world, sms, django_capture_on_commit_callbacks):
    recipients = [outbox.Recipient(key=f"t:{n}", **who) for n, who in enumerate(_to_many(world))]
    with django_capture_on_commit_callbacks() as kicks:
        assert outbox.enqueue_many(kind="accepted", text="已受理", recipients=recipients) == 4
    assert len(kicks) == 1  # one delivery run for the whole batch
    with django_capture_on_commit_callbacks() as kicks:
        assert outbox.enqueue_many(kind="accepted", text="已受理（重复）", recipients=recipients) == 0
    assert not kicks
    assert set(OutboxMessage.objects.values_list("text", flat=True)) == {"已受理"}


def test_a_message_to_many_skips_the_recipients_already_told(world):
    outbox.enqueue(kind="accepted", text="先到的", key="t:1", user=world.bob)
    written = outbox.enqueue_many(kind="accepted", text="后到的", recipients=[
        outbox.Recipient(key=f"t:{n}", user=user) for n, user in enumerate([world.alice, world.bob, world.carol])])
    assert written == 4  # alice and carol, in-app and console each
    assert dict(OutboxMessage.objects.filter(channel="inapp").values_list("key", "text")) == {
        "t:0": "后到的", "t:1": "先到的", "t:2": "后到的"}


def test_a_concurrent_enqueue_of_one_key_does_not_fail_the_batch(world, monkeypatch):
    real = outbox._message

    def another_worker_gets_there_first(row, **kwargs):
        if row.key == "t:1":  # after the existence query, before the insert
            with transaction.atomic():
                real(row, **{**kwargs, "text": "另一个进程"}).save(force_insert=True)
        return real(row, **kwargs)

    monkeypatch.setattr(outbox, "_message", another_worker_gets_there_first)
    written = outbox.enqueue_many(kind="accepted", text="已受理", channels=["inapp"], recipients=[
        outbox.Recipient(key=f"t:{n}", user=user) for n, user in enumerate([world.alice, world.bob, world.carol])])
    assert written == 2
    assert dict(OutboxMessage.objects.values_list("key", "text")) == {
        "t:0": "已受理", "t:1": "另一个进程", "t:2": "已受理"}


def test_a_message_to_many_is_checked_once_and_refused_whole(world):
    with pytest.raises(InvalidInput) as kind:
        outbox.enqueue_many(kind="nonsense", text="x", recipients=[outbox.Recipient(key="k1", user=world.alice)])
    assert "kind" in kind.value.fields
    with pytest.raises(InvalidInput) as nobody:
        outbox.enqueue_many(kind="accepted", text="x", recipients=[
            outbox.Recipient(key="k1", user=world.alice), outbox.Recipient(key="k2")])
    assert "user" in nobody.value.fields
    assert not OutboxMessage.objects.exists()


def test_a_message_to_many_costs_the_same_queries_for_five_recipients_as_for_fifty(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(n, prefix):
        with CaptureQueriesContext(connection) as run:
            outbox.enqueue_many(kind="accepted", text="已受理", recipients=[
                outbox.Recipient(key=f"{prefix}:{i}", contact={"name": f"用户{i}", "phone": f"139{i:08d}"})
                for i in range(n)])
        assert OutboxMessage.objects.filter(key__startswith=f"{prefix}:").count() == n
        return len(run.captured_queries)

    assert queries_for(5, "five") == queries_for(50, "fifty")
