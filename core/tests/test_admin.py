"""Staff read the log in the admin; nobody writes it there, not even a superuser."""
from django.urls import reverse

from core.models import Event


def test_an_administrator_reads_events_but_cannot_add_change_or_delete(client, history, world):
    client.force_login(world.root)
    paused = history.events[2]

    listing = client.get(reverse("admin:core_event_changelist"), {"q": "stage.paused"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [paused]

    detail = client.get(reverse("admin:core_event_change", args=[paused.pk]))
    assert detail.status_code == 200
    assert detail.context["has_change_permission"] is False

    assert client.get(reverse("admin:core_event_add")).status_code == 403
    assert client.get(reverse("admin:core_event_delete", args=[paused.pk])).status_code == 403
    posted = client.post(reverse("admin:core_event_change", args=[paused.pk]), {"verb": "stage.resumed"})
    assert posted.status_code == 403
    assert Event.objects.get(pk=paused.pk).verb == "stage.paused"
