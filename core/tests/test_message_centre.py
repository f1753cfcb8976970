"""The message centre: unread count in the nav, list, mark one or all read, follow the link."""
import pytest
from django.test import Client

from core import outbox
from core.models import OutboxMessage


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_messages(world):
    first = outbox.enqueue(kind="accepted", text="您的用电申请已受理。", key="mc:1", user=world.alice,
                           link="/me/applications/17/")
    second = outbox.enqueue(kind="fee_due", text="待缴费用「高可靠性供电费」¥12,800.00", key="mc:2", user=world.alice)
    outbox.enqueue(kind="warning", text="时限预警：别人的待办", key="mc:3", user=world.bob)
    return first, second


def test_the_portal_lists_my_messages_with_the_unread_count_in_the_nav(world, alice_messages):
    page = client_for(world.alice).get("/me/messages/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "您的用电申请已受理。" in html and "¥12,800.00" in html and "别人的待办" not in html
    assert 'id="unread-count" class="badge warn">2<' in html
    assert "申请已受理" in html and "待缴费用" in html  # kinds by their 中文 names


def test_marking_one_read_with_htmx_swaps_the_row_and_the_count(world, alice_messages):
    first, _ = alice_messages
    response = client_for(world.alice).post(f"/messages/{first.pk}/read/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="message-{first.pk}"' in html and "已读" in html
    assert 'id="unread-count" hx-swap-oob="true" class="badge warn">1<' in html
    assert OutboxMessage.objects.get(pk=first.pk).read_at is not None


def test_someone_elses_message_cannot_be_marked_or_opened(world, alice_messages):
    first, _ = alice_messages
    bob = client_for(world.bob)
    assert bob.post(f"/messages/{first.pk}/read/").status_code == 404
    assert bob.get(f"/messages/{first.pk}/open/").status_code == 404
    assert OutboxMessage.objects.get(pk=first.pk).read_at is None


def test_opening_a_message_marks_it_read_and_goes_to_its_object(world, alice_messages):
    first, _ = alice_messages
    response = client_for(world.alice).get(f"/messages/{first.pk}/open/")
    assert response.status_code == 302 and response.url == "/me/applications/17/"
    assert outbox.unread_count(world.alice) == 1


def test_mark_all_read_and_the_unread_filter(world, alice_messages):
    alice = client_for(world.alice)
    response = alice.post("/messages/read-all/")
    assert response.status_code == 302 and response.url == "/me/messages/"
    assert outbox.unread_count(world.alice) == 0
    assert "没有未读消息" in alice.get("/me/messages/?unread=1").content.decode()
    assert outbox.unread_count(world.bob) == 1


def test_staff_read_their_messages_in_the_workbench(world, alice_messages):
    bob = client_for(world.bob)
    page = bob.get("/work/messages/").content.decode()
    assert "时限预警：别人的待办" in page and "您的用电申请已受理" not in page
    assert 'href="/work/messages/"' in page  # the nav's message link leads to the workbench
    assert bob.post("/messages/read-all/").url == "/work/messages/"
