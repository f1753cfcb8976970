"""Every role lands on a page it may open: no role is bounced between the workbench and its landing."""
import pytest
from django.test import Client

from accounts import actions as accounts
from accounts.roles import Role


@pytest.mark.parametrize("role", [r for r in Role.values])
def test_each_role_lands_on_a_page_after_login(world, role):
    org = {Role.APPLICANT: None, Role.REGULATOR: world.orgs.regulator, Role.ENERGY_BUREAU: world.orgs.regulator,
           Role.GOV_OFFICER: world.orgs.nature, Role.GOV_SUPERVISOR: world.orgs.nature}.get(role, world.orgs.sgcc_yanta)
    user = accounts.user_create(username=f"land_{role}", password=world.password, role=role, organisation=org,
                                display_name="试用户")
    client = Client()
    client.force_login(user)
    response = client.get("/work/", follow=True)
    assert response.status_code == 200, (role, response.redirect_chain)
    assert len(response.redirect_chain) <= 2, (role, response.redirect_chain)
