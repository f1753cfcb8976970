"""Fixed actors for tests (healthchecks style): a small Shaanxi world with two utilities
serving the same county, so jurisdiction stories read plainly."""
import datetime as dt
import os
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role

PASSWORD = "correct-horse-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rolled-back tests reuse primary keys and can
    reach the same log head, and a read cached by one test must not answer in the next."""
    from django.core.cache import cache

    cache.clear()
    yield


# Fixtures are built early in 2026 so a test can travel to any later date: the event log's
# time only moves forward.
BUILT_AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def world(db):
    with time_machine.travel(BUILT_AT, tick=False):
        return _build_world()


def _build_world():
    shaanxi = accounts.division_create(code="610000", name="陕西省", level="province", policy_region="shaanxi")
    xian = accounts.division_create(code="610100", name="西安市", level="city", parent=shaanxi, city_group="xian")
    yanta = accounts.division_create(code="610113", name="雁塔区", level="county", parent=xian)
    changan = accounts.division_create(code="610116", name="长安区", level="county", parent=xian)
    U = Organisation.Kind.UTILITY
    sgcc = accounts.organisation_create(code="sgcc-sx", name="国网陕西省电力有限公司", kind=U, division=shaanxi)
    sgcc_xian = accounts.organisation_create(code="sgcc-xian", name="国网西安供电公司", kind=U, division=xian, parent=sgcc)
    sgcc_yanta = accounts.organisation_create(code="sgcc-yanta", name="国网西安雁塔供电公司", kind=U, division=yanta, parent=sgcc_xian)
    sgcc_changan = accounts.organisation_create(code="sgcc-changan", name="国网西安长安供电公司", kind=U, division=changan,
                                                parent=sgcc_xian)
    local = accounts.organisation_create(code="sxdd", name="陕西省地方电力（集团）有限公司", kind=U, division=shaanxi)
    local_yanta = accounts.organisation_create(code="sxdd-yanta", name="陕西地电雁塔供电分公司", kind=U, division=yanta, parent=local)
    regulator = accounts.organisation_create(
        code="nea-nw", name="国家能源局西北监管局", kind=Organisation.Kind.REGULATOR, division=shaanxi
    )
    nature = accounts.organisation_create(
        code="xian-zrzy", name="西安市自然资源和规划局", kind=Organisation.Kind.GOV_DEPARTMENT, division=xian,
        department="natural_resources",
    )

    def user(name, role, org=None):
        return accounts.user_create(username=name, password=PASSWORD, role=role, organisation=org, display_name=name)

    return SimpleNamespace(
        divisions=SimpleNamespace(shaanxi=shaanxi, xian=xian, yanta=yanta, changan=changan),
        orgs=SimpleNamespace(sgcc=sgcc, sgcc_xian=sgcc_xian, sgcc_yanta=sgcc_yanta, sgcc_changan=sgcc_changan,
                             local=local, local_yanta=local_yanta, regulator=regulator, nature=nature),
        alice=user("alice", Role.APPLICANT),
        anna=user("anna", Role.APPLICANT),
        bob=user("bob", Role.ACCOUNT_MANAGER, sgcc_yanta),
        carol=user("carol", Role.SUPERVISOR, sgcc_yanta),
        dave=user("dave", Role.ACCOUNT_MANAGER, sgcc_changan),
        lena=user("lena", Role.ACCOUNT_MANAGER, local_yanta),
        xena=user("xena", Role.SUPERVISOR, sgcc_xian),
        rita=user("rita", Role.REGULATOR, regulator),
        gina=user("gina", Role.GOV_OFFICER, nature),
        root=user("root", Role.ADMIN, sgcc),
        password=PASSWORD,
    )


# ---------------------------------------------------------------- the console script on a real database

GETPOWER = str(Path(os.sys.executable).with_name("getpower"))


def console_env(data_dir: Path) -> dict[str, str]:
    """The environment of `getpower` run as an operator would, on `data_dir`'s own SQLite file."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="getpower.settings_test", GETPOWER_DATA_DIR=str(data_dir),
               DATABASE_URL=f"sqlite:///{data_dir / 'getpower.sqlite3'}",
               GETPOWER_ANCHOR_STORE=f"file:{data_dir / 'anchors.jsonl'}",
               GETPOWER_LOCAL_PAY_LEDGER=str(data_dir / "local-pay-ledger.jsonl"))
    return env


@pytest.fixture(scope="session")
def prepared_database(tmp_path_factory):
    """One SQLite database migrated by the console script once per test session (per xdist
    worker); tests copy it instead of migrating their own (a migrate costs seconds)."""
    import subprocess

    data_dir = tmp_path_factory.mktemp("prepared-database")
    subprocess.run([GETPOWER, "migrate", "--noinput", "-v", "0"], env=console_env(data_dir), check=True, timeout=600)
    return data_dir / "getpower.sqlite3"


@pytest.fixture
def getpower_console(tmp_path, prepared_database):
    """getpower_console(*args) runs `getpower` on a fresh copy of the prepared database; .env and
    .data_dir are there for tests that start their own processes."""
    import shutil
    import subprocess

    shutil.copyfile(prepared_database, tmp_path / "getpower.sqlite3")
    env = console_env(tmp_path)

    def run(*args: str, timeout: int = 120, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([GETPOWER, *args], env=env, capture_output=True, text=True, timeout=timeout, **kwargs)

    run.env, run.data_dir = env, tmp_path
    return run


# ---------------------------------------------------------------- browser (Playwright + Debian chromium)

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "build" / "screenshots"


@pytest.fixture(scope="session")
def chromium_browser():
    import shutil

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Debian's chromium is missing: `make browser` installs it")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM use is still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    """A fresh browser tab on the live server (phone-sized when a test asks for `phone_page`)."""
    context = chromium_browser.new_context(base_url=live_server.url, locale="zh-CN",
                                           viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


@pytest.fixture
def screenshot(page):
    def shoot(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return shoot


# ---------------------------------------------------------------- browser stories' shared cast

@pytest.fixture
def taierzhuang(transactional_db):
    """A 台儿庄区 county team on the Zaozhuang policy. Browser tests are transactional and start
    from empty tables, so the calendar and policies are loaded here as `make run` does."""
    from applications.tests.conftest import county_team
    from policies.actions import policy_load
    from workdays.actions import calendar_sync

    with time_machine.travel(BUILT_AT, tick=False):
        calendar_sync()
        policy_load()
    return county_team(region="zaozhuang", province_code="370000", province="山东省", city_code="370400",
                       city="枣庄市", city_group="taierzhuang_gaoxin", county_code="370405", county="台儿庄区",
                       slug="tez")


@pytest.fixture
def clock_at():
    """clock_at(datetime): the test process and the live server (same process) both move there."""
    state = {}

    def go(moment):
        if "traveller" in state:
            state["traveller"].stop()
        state["traveller"] = time_machine.travel(moment, tick=True)
        state["traveller"].start()

    yield go
    if "traveller" in state:
        state["traveller"].stop()


@pytest.fixture
def login_as(page, live_server):
    """login_as(user): the browser carries that user's session (the login page has its own test)."""
    from django.conf import settings
    from django.test import Client

    def go(user):
        page.context.clear_cookies()
        client = Client()
        client.force_login(user)
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                   "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                                   "url": live_server.url}])

    return go


def api_as(user, url, body=None) -> dict:
    """What a browser story's other actors do off-screen: one JSON API POST as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.post(url, body or {}, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return response.json()


def fits(page, width: int) -> None:
    """On a phone (390 px) nothing is wider than the screen."""
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def at_width(page, width: int) -> None:
    """A phone (390 × 844) or a desk (width × 900); confirmation dialogs are answered yes."""
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    page.on("dialog", lambda dialog: dialog.accept())
