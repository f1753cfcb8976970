"""Reports on the policy's schedule: Shaanxi asks for 月统计 every month and the 季分析 within 10
days of the quarter's end; Zaozhuang for a 年度总结. The periodic job makes each once, delivers it
through the outbox with a receipt, and `report_on_time` then judges the receipts."""
import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role
from applications.tests.conftest import at, county_team
from core.models import Event, OutboxMessage
from monitoring import queries
from monitoring.actions import inspection_record, spot_check_draw
from monitoring.models import Report, ReportReceipt
from monitoring.tasks import reports_on_schedule
from monitoring.tests.test_indicators import october  # noqa: F401 (the hand-checked October)
from monitoring.tests.test_oversight import bureau  # noqa: F401
from policies.queries import version_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def xian_bureau(db, policies):
    team = county_team(region="shaanxi", province_code="610000", province="陕西省", city_code="610100", city="西安市",
                       city_group="xian", county_code="610113", county="雁塔区", slug="yt")
    office = accounts.organisation_create(code="sx-energy", name="陕西省能源局", kind=Organisation.Kind.ENERGY_BUREAU,
                                          division=team.county.parent.parent)
    return accounts.user_create(username="sx_bureau", password="correct-horse-42", role=Role.ENERGY_BUREAU,
                                organisation=office)


def report_on_time(region, period):
    return [r for r in queries.indicators_show(region=region, period=period) if r["code"] == "report_on_time"]


def test_the_job_makes_each_due_report_once_delivers_it_and_keeps_a_receipt(xian_bureau, travel):
    quarterly = version_in_force(region="shaanxi", on=date(2026, 9, 30)).document["reporting"]["quarterly_analysis"]
    travel(at(2026, 10, 1, 1, 40))
    reports_on_schedule.call_local()
    receipts = {(r.region, r.kind): r for r in ReportReceipt.objects.all()}
    assert set(receipts) == {("shaanxi", "monthly"), ("shaanxi", "quarterly"), ("zaozhuang", "annual")}
    assert receipts[("shaanxi", "monthly")].period == "2026-09"
    analysis = receipts[("shaanxi", "quarterly")]
    # 9-30 plus the policy's 10 days is Saturday 10-10, a 调休 working day: the deadline stays.
    assert (analysis.period, analysis.rule) == ("2026Q3", "quarterly_analysis")
    assert analysis.due_on == date(2026, 9, 30) + timedelta(days=quarterly["due"]["value"])
    assert analysis.report.format == "pdf" and receipts[("shaanxi", "monthly")].report.format == "xlsx"
    assert receipts[("zaozhuang", "annual")].period == "2025"
    # Shaanxi's reports reach Shaanxi's bureau (and only theirs: Zaozhuang's summary does not).
    assert OutboxMessage.objects.filter(kind="report_ready", user=xian_bureau, channel="inapp").count() == 2
    assert analysis.recipients == 1 and receipts[("zaozhuang", "annual")].recipients == 0
    assert Event.objects.filter(verb="report.delivered").count() == 3

    travel(at(2026, 10, 2, 1, 40))
    reports_on_schedule.call_local()
    assert ReportReceipt.objects.count() == 3 and Report.objects.count() == 3

    travel(at(2026, 11, 2, 9))
    [on_time] = report_on_time("shaanxi", "2026-10")
    assert (on_time["status"], on_time["value"], on_time["target"]) == ("met", 1, quarterly["due"]["value"])
    assert report_on_time("zhejiang", "2026-10") == []  # Zhejiang sets no deadline: nothing to judge


def test_a_report_not_delivered_by_its_deadline_is_missed(xian_bureau, travel):
    travel(at(2027, 1, 13, 9))
    [late] = report_on_time("shaanxi", "2027-01")
    assert late["status"] == "missed" and late["value"] == 13 and "逾期未报送" in late["note"]


def test_the_annual_summary_carries_the_appraisal_and_the_oversight(october, zz, bureau, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    spot_check_draw(county=zz.county.code, period="2026-10", size=1, seed=3, by=bureau)
    inspection_record(kind="interview", county=zz.county.code, held_on=date(2026, 11, 2), subject="超时约谈",
                      findings="1件超时。", follow_ups=[], by=bureau)
    pdf, word = tmp_path / "2026.pdf", tmp_path / "2026.docx"
    call_command("report", "annual", "--year", "2026", "--format", "pdf", "--out", str(pdf), "--region", "zaozhuang")
    call_command("report", "annual", "--year", "2026", "--format", "docx", "--out", str(word), "--region", "zaozhuang")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "年度总结" in text and "业绩考核" in text and "台儿庄区" in text and "约谈次数" in text
    cells = [cell.text for table in Document(str(word)).tables for row in table.rows for cell in row.cells]
    assert "台儿庄区" in cells and "约谈次数" in cells
    interviews = cells[cells.index("约谈次数") + 1]
    assert interviews == "1"
    with pytest.raises(CommandError) as caught:
        call_command("report", "annual", "--year", "2026Q1", "--format", "pdf", "--out", str(pdf))
    assert caught.value.returncode == 2 and str(caught.value).startswith("--year")
