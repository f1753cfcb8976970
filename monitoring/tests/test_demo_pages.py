"""The demo shows oversight: the Shaanxi bureau's 通报, spot check, 约谈 and the scheduled reports;
every oversight page reads in plain Chinese (no raw code, no login name) for the bureau."""
import pytest
from django.test import Client

from accounts.models import User
from applications import demo
from applications.tests.conftest import policies  # noqa: F401 (fixture)
from getpower.tests.test_plain_chinese import problems, visible_text
from monitoring.models import Bulletin, Inspection, ReportReceipt, SpotCheck

pytestmark = pytest.mark.django_db


def test_the_demo_bureau_has_issued_checked_interviewed_and_reported(policies):
    demo.load(applications=40)
    bureau = User.objects.get(username="bureau_sx")
    bulletin = Bulletin.objects.get(region="shaanxi")
    assert bulletin.issued_by == bureau and len(bulletin.rows) == 4
    assert ReportReceipt.objects.filter(region="shaanxi", kind="monthly").exists()
    assert {"energy_bureau"} <= {role for _u, role, _w in demo.demo_logins()}
    pages = ["/monitor/bulletins/", f"/monitor/bulletins/{bulletin.pk}/", "/monitor/spot-checks/?region=shaanxi",
             "/monitor/inspections/?region=shaanxi", "/monitor/appraisal/?region=shaanxi", "/monitor/reports/"]
    pages += [f"/monitor/spot-checks/{c.pk}/" for c in SpotCheck.objects.all()]
    pages += [f"/monitor/inspections/{i.pk}/" for i in Inspection.objects.all()]
    usernames = set(User.objects.exclude(display_name="").values_list("username", flat=True))
    client = Client()
    client.force_login(bureau)
    failures = {}
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        found = problems(visible_text(answer.content.decode()), usernames)
        if found:
            failures[url] = found[:8]
    assert not failures, failures
