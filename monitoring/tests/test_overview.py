"""The regulator and the energy bureau land on an overview of their region, not on an empty
queue: per county what is in hand, what is late, this year's on-time rate and complaints,
in plain Chinese and with the demo's real numbers."""
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts import actions as accounts
from accounts.models import Division, Organisation, User
from accounts.roles import Role
from applications import demo
from applications.models import Application, Status
from applications.queries import overdue_stages
from applications.tests.conftest import policies  # noqa: F401  (fixture)
from complaints.models import Complaint
from getpower.tests.test_plain_chinese import problems, visible_text
from monitoring import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(policies):
    demo.load(applications=30)
    return User.objects.get(username="regulator")


def log_in(username: str) -> tuple[Client, object]:
    client = Client()
    answer = client.post("/me/login/", {"identifier": username, "password": demo.PASSWORD})
    return client, answer


def numbers_in(cell: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", cell)


def test_the_regulator_lands_on_the_overview_with_the_regions_numbers(demo_world):
    client, answer = log_in("regulator")
    assert answer.status_code == 302 and answer["Location"] == "/monitor/overview/"
    assert client.get("/work/")["Location"] == "/monitor/overview/"  # no empty queue
    page = client.get("/monitor/overview/")
    assert page.status_code == 200
    html = page.content.decode()
    text = visible_text(html)
    assert "监管总览" in text and "陕西" in text
    assert not problems(text, {"regulator"}), problems(text, {"regulator"})

    today = timezone.localdate()
    shaanxi = Application.objects.filter(county__policy_region="shaanxi")
    in_progress = shaanxi.filter(status=Status.IN_PROGRESS).count()
    late = overdue_stages(today).filter(application__in=shaanxi).count()
    complaints = Complaint.objects.filter(county__policy_region="shaanxi", state=Complaint.State.OPEN).count()
    assert in_progress > 0
    totals = re.search(r'data-testid="totals-shaanxi">(.*?)</div>', html, re.S).group(1)
    cards = [visible_text(c) for c in re.findall(r'<p class="card">(.*?)</p>', totals, re.S)]
    assert numbers_in(cards[0])[0] == str(in_progress) and "在办申请" in cards[0]
    assert numbers_in(cards[1])[0] == str(late) and "已超期" in cards[1]
    assert "按时率" in cards[2] and str(today.year) in cards[2]
    assert numbers_in(cards[3])[0] == str(complaints)
    # Only the regulator's region: the demo's Zhejiang and Zaozhuang counties are not in it.
    assert "西湖区" not in text and "台儿庄区" not in text
    # Every county row and its on-time rate, with links to the cases behind the numbers.
    data = queries.overview(user=demo_world, today=today)
    assert [r["region"] for r in data] == ["shaanxi"]
    for row in data[0]["rows"]:
        assert row["county"].name in text
        if row["within_share"] is not None:
            assert f"{row['within_share']}%" in text
            assert f"county={row['county'].code}&amp;late=stage" in html
    assert sum(r["energised"] for r in data[0]["rows"]) > 0
    assert 'href="/work/complaints/"' in html and 'href="/work/overview/#overdue"' in html

    # The energy bureau lands there too, and is linked only to what it may open.
    shaanxi = Division.objects.get(code="610000")
    bureau = accounts.organisation_create(code="sx-nyj", name="陕西省能源局", kind=Organisation.Kind.ENERGY_BUREAU,
                                          division=shaanxi)
    accounts.user_create(username="sx_energy", password=demo.PASSWORD, role=Role.ENERGY_BUREAU, organisation=bureau,
                         display_name="陕西省能源局")
    client, answer = log_in("sx_energy")
    assert answer["Location"] == "/monitor/overview/"
    assert client.get("/work/")["Location"] == "/monitor/overview/"
    html = client.get("/monitor/overview/").content.decode()
    assert "雁塔区" in html and "/work/complaints/" not in html and "/work/overview/" not in html


def test_staff_still_land_on_their_queue_and_applicants_on_the_portal(world):
    def lands(user) -> str:
        return Client().post("/me/login/", {"identifier": user.username, "password": world.password})["Location"]

    assert lands(world.bob) == "/work/" and lands(world.alice) == "/me/"
    assert lands(world.rita) == "/monitor/overview/"
    applicant = Client()
    applicant.force_login(world.alice)
    assert applicant.get("/monitor/overview/").status_code == 403
    regulator = Client()
    regulator.force_login(world.rita)
    assert "暂无办电申请和投诉" in regulator.get("/monitor/overview/").content.decode()
