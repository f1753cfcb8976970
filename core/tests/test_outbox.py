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
