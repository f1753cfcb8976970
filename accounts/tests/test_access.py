import pytest

from accounts import access
from accounts.models import Division, User
from core.errors import Forbidden, NotFound


def visible_divisions(user):
    return set(access.scope(user, Division.objects.all(), division_field="pk").values_list("code", flat=True))


def test_county_staff_see_their_county_only(world):
    assert visible_divisions(world.bob) == {"610113"}
    assert visible_divisions(world.dave) == {"610116"}


def test_city_supervisor_sees_the_counties_below(world):
    assert visible_divisions(world.xena) == {"610100", "610113", "610116"}


def test_regulator_and_admin_see_the_province(world):
    assert visible_divisions(world.rita) == {"610000", "610100", "610113", "610116"}
    assert visible_divisions(world.root) == set(Division.objects.values_list("code", flat=True))


def test_applicant_sees_no_territory_only_own_records(world):
    assert visible_divisions(world.alice) == set()
    users = access.scope(world.alice, User.objects.all(), division_field="memberships__organisation__division",
                         owner_field="pk")
    assert list(users) == [world.alice]


def test_two_utilities_in_one_county_do_not_see_each_other(world):
    # Users stand in for records here: a record's utility is the utility root of its handler.
    qs = User.objects.filter(memberships__organisation__isnull=False)
    bob_sees = access.scope(
        world.bob, qs, division_field="memberships__organisation__division",
        utility_field="memberships__organisation__parent__parent",
    )
    assert world.lena not in set(bob_sees)
    assert world.bob in set(bob_sees)


def test_invisible_object_is_not_found_not_forbidden(world):
    with pytest.raises(NotFound):
        access.get_visible(world.bob, Division.objects.all(), pk=world.divisions.changan.pk, division_field="pk")
    assert access.get_visible(world.bob, Division.objects.all(), pk=world.divisions.yanta.pk, division_field="pk")


def test_role_permissions(world):
    assert access.can(world.bob, "application.accept")
    assert not access.can(world.alice, "application.accept")
    with pytest.raises(Forbidden):
        access.require(world.alice, "stage.complete")
    assert access.can(world.carol, "pause.approve_force_majeure")
    assert not access.can(world.bob, "pause.approve_force_majeure")
    with pytest.raises(KeyError):
        access.can(world.bob, "no.such.permission")


def test_api_token_authenticates_and_is_stored_as_a_digest(world, client):
    from accounts.actions import api_token_create
    from accounts.models import ApiToken

    token = api_token_create(user=world.rita, name="监管系统对接")
    assert not ApiToken.objects.filter(key_digest=token).exists()
    ok = client.get("/api/v1/applications/", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    assert client.get("/api/v1/applications/", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_organisation_changes_are_logged(world):
    from core.models import Event

    assert Event.objects.filter(verb="user.created", data__username="bob").exists()
    assert Event.objects.filter(verb="organisation.created", data__code="sgcc-yanta").exists()
