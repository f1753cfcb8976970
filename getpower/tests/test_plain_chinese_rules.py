"""Plain Chinese, the rules themselves and the pages every role shares (no demo needed):
the checks of test_plain_chinese catch what they look for, the navigation shows each page only
to the roles that may open it, and people without a name are shown by role, never by login."""
import re

import pytest
from django.test import Client

from accounts.models import User
from core import labels
from getpower.tests.test_plain_chinese import problems, visible_text

pytestmark = pytest.mark.django_db


def test_the_checks_catch_what_they_look_for():
    from accounts.roles import Role

    assert [r for r in Role.values if not labels.known("role", r)] == []  # every role has its 中文
    assert problems("请在 2026-12-01 前上传 · must be at most 5 characters", set())
    assert problems("客户经理 account manager", set())
    assert problems("状态 contract.signed", set()) and problems("投资界面 connection_point", set())
    assert not problems("10 kV · 800 kVA · 营业执照.pdf · ¥12,800.00 · 95598", set())




# ---------------------------------------------------------------- the navigation and the header


def nav_links(page: str) -> set[str]:
    nav = re.search(r'<nav aria-label="主导航">(.*?)</nav>', page, re.S).group(1)
    return set(re.findall(r'<a href="([^"]+)"', nav))


def test_the_navigation_shows_each_page_only_to_roles_that_may_open_it(world):
    staff_pages = {"/work/", "/ledger/", "/monitor/", "/api/v1/docs"}
    applicant = Client()
    applicant.force_login(world.alice)
    shown = nav_links(applicant.get("/me/").content.decode())
    assert "/me/" in shown and not shown & staff_pages, shown
    for path in sorted(staff_pages):  # the links hidden from her lead nowhere she may go
        assert applicant.get(path).status_code != 200 or path == "/api/v1/docs", path
    supervisor = Client()
    supervisor.force_login(world.carol)
    shown = nav_links(supervisor.get("/work/").content.decode())
    assert staff_pages <= shown, shown
    for path in staff_pages:
        assert supervisor.get(path).status_code == 200, path
    account_manager = Client()
    account_manager.force_login(world.bob)
    shown = nav_links(account_manager.get("/work/").content.decode())
    assert "/monitor/" not in shown and {"/work/", "/ledger/"} <= shown, shown
    assert account_manager.get("/monitor/").status_code == 403


def test_people_without_a_name_are_shown_by_role_never_by_login(world):
    from accounts import actions as accounts_actions
    from accounts.roles import Role

    nameless = accounts_actions.user_create(username="tez_customer", password=world.password, role=Role.APPLICANT,
                                            phone="13812345678")
    staff = accounts_actions.user_create(username="tez_supervisor", password=world.password, role=Role.SUPERVISOR,
                                         organisation=world.orgs.sgcc_yanta)
    # In a list of many people no role is read (no query per row); the signed-in user's roles are
    # read anyway, so their own name in the header says what they are.
    assert labels.person(User.objects.get(pk=nameless.pk)) == "用户（1381***5678）"
    assert nameless.roles and staff.roles
    assert labels.person(nameless) == "用电客户（1381***5678）"
    assert labels.person(staff) == f"营销主管（编号 {staff.pk}）"
    assert str(staff) == labels.person(staff) and labels.person(world.bob) == "bob"
    client = Client()
    client.force_login(nameless)
    page = client.get("/me/").content.decode()
    assert "tez_customer" not in visible_text(page) and "退出 用电客户（1381***5678）" in visible_text(page)
    client.force_login(staff)
    page = visible_text(client.get("/work/").content.decode())
    assert "tez_supervisor" not in page and labels.person(staff) in page


