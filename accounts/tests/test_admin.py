"""Users, roles and organisations cannot be changed in the admin, where no event would record
it: administrators read them there and change them through the actions."""
from django.urls import reverse


def test_the_admin_shows_users_and_organisations_but_refuses_every_edit(client, world):
    client.force_login(world.root)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    detail = client.get(reverse("admin:accounts_user_change", args=[world.bob.pk]))
    assert detail.status_code == 200 and detail.context["has_change_permission"] is False

    made_admin = client.post(reverse("admin:accounts_user_change", args=[world.bob.pk]),
                             {"username": "bob", "is_superuser": "on", "is_staff": "on"})
    assert made_admin.status_code == 403
    world.bob.refresh_from_db()
    assert not world.bob.is_superuser
    assert client.post(reverse("admin:auth_user_password_change", args=[world.bob.pk]),
                       {"password1": "x-new-pass-42", "password2": "x-new-pass-42"}).status_code == 403
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert client.get(reverse("admin:accounts_organisation_delete", args=[world.orgs.sgcc.pk])).status_code == 403
    renamed = client.post(reverse("admin:accounts_organisation_change", args=[world.orgs.sgcc.pk]),
                          {"code": "sgcc-sx", "name": "改名"})
    assert renamed.status_code == 403
    world.orgs.sgcc.refresh_from_db()
    assert world.orgs.sgcc.name == "国网陕西省电力有限公司"
