"""A password change writes its event, whether made at the console (`getpower changepassword`)
or on the admin's "change my password" page (issue 9 review: Django's own command and view
changed it silently). The event never carries the password."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Event

pytestmark = pytest.mark.django_db

NEW = "lanzhou-orchard-1987"


def answers(monkeypatch, *typed):
    """getpass answers, in order."""
    queue = list(typed)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": queue.pop(0))


def test_the_command_sets_the_password_and_writes_the_event(world, monkeypatch):
    answers(monkeypatch, NEW, NEW)
    call_command("changepassword", "carol")
    world.carol.refresh_from_db()
    assert world.carol.check_password(NEW)
    event = Event.objects.get(verb="user.password_set", subject_id=str(world.carol.pk))
    assert event.actor_label == "job:cli" and NEW not in str(event.data)


def test_the_command_refuses_a_weak_or_mistyped_password_and_exits_2(world, monkeypatch):
    answers(monkeypatch, NEW, NEW + "x", "123", "123", "password", "password")
    with pytest.raises(CommandError) as refused:
        call_command("changepassword", "carol")
    assert refused.value.returncode == 2 and str(refused.value).startswith("password")
    world.carol.refresh_from_db()
    assert world.carol.check_password(world.password)
    assert not Event.objects.filter(verb="user.password_set").exists()


def test_the_command_names_an_unknown_user(world):
    with pytest.raises(CommandError) as refused:
        call_command("changepassword", "nobody")
    assert refused.value.returncode == 2 and str(refused.value).startswith("username")


def test_the_admin_page_changes_ones_own_password_with_the_event(client, world):
    world.root.is_staff = True
    world.root.save(update_fields=["is_staff"])
    client.force_login(world.root)
    assert client.get("/admin/password_change/").status_code == 200
    done = client.post("/admin/password_change/", {"old_password": world.password, "new_password1": NEW,
                                                    "new_password2": NEW})
    assert done.status_code == 302 and done["Location"].endswith("/admin/password_change/done/")
    world.root.refresh_from_db()
    assert world.root.check_password(NEW)
    event = Event.objects.get(verb="user.password_set", subject_id=str(world.root.pk))
    assert event.actor_id == world.root.pk


def test_the_admin_page_keeps_the_password_when_the_old_one_is_wrong(client, world):
    world.root.is_staff = True
    world.root.save(update_fields=["is_staff"])
    client.force_login(world.root)
    refused = client.post("/admin/password_change/", {"old_password": "wrong", "new_password1": NEW,
                                                       "new_password2": NEW})
    assert refused.status_code == 200
    assert not Event.objects.filter(verb="user.password_set").exists()
