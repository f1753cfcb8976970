"""月统计、季分析: the workbook and the Word/PDF analysis open and say what the indicators say."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts import actions as accounts
from accounts.roles import Role
from core.models import Event, OutboxMessage
from monitoring.models import Report
from monitoring.tests.test_indicators import october  # noqa: F401 (the hand-checked October)
from policies.queries import version_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(zz):
    return accounts.user_create(username="zz_bureau", password="correct-horse-42", role=Role.ENERGY_BUREAU,
                                organisation=zz.org)


def test_monthly_workbook_has_a_sheet_per_group_and_the_ledger(october, bureau, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "2026-10.xlsx"
    call_command("report", "monthly", "--month", "2026-10", "--out", str(out), "--region", "zaozhuang")
    book = load_workbook(out)
    assert "办电时长" in book.sheetnames and "台账" in book.sheetnames
    ledger = list(book["台账"].values)
    assert ledger[0][0] == "申请编号" and len(ledger) == 3  # header + the two October cases
    times = list(book["办电时长"].values)
    residential = version_in_force(region="zaozhuang").document["categories"]["lv_residential"]["name"]
    row = next(r for r in times if r[1] == f"{residential}：电网环节逐案不超时限的比例")
    assert row[2] == 50.0 and row[5] == "未达标"
    # 依据 names the document, never the seed's file name.
    cited = [r[7] for sheet in book.worksheets if sheet.title != "台账" for r in list(sheet.values)[1:] if r[7]]
    assert cited and not any(".txt" in c for c in cited), cited[:3]
    report = Report.objects.get()
    assert report.recipients == 1
    assert OutboxMessage.objects.filter(kind="report_ready", user=bureau).exists()
    assert Event.objects.filter(verb="report.generated").exists()


def test_quarterly_pdf_and_word_carry_the_narrative(october, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    pdf, word = tmp_path / "q4.pdf", tmp_path / "q4.docx"
    call_command("report", "quarterly", "--quarter", "2026Q4", "--format", "pdf", "--out", str(pdf),
                 "--region", "zaozhuang")
    call_command("report", "quarterly", "--quarter", "2026Q4", "--format", "docx", "--out", str(word),
                 "--region", "zaozhuang")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "季度分析" in text and "未达标" in text
    paragraphs = [p.text for p in Document(str(word)).paragraphs]
    assert any(p.startswith("枣庄") and "未达标" in p for p in paragraphs)
    assert len(Document(str(word)).inline_shapes) == 1  # the trend chart


@pytest.mark.parametrize("args,option", [
    (["monthly", "--month", "2026Q3"], "--month"),
    (["quarterly", "--quarter", "2026-10", "--format", "pdf"], "--quarter"),
    (["monthly", "--month", "2026-10", "--region", "atlantis"], "--region"),
])
def test_bad_report_arguments_exit_2_naming_the_option(args, option, tmp_path, policies):
    with pytest.raises(CommandError) as caught:
        call_command("report", *args, "--out", str(tmp_path / "x"))
    assert caught.value.returncode == 2 and str(caught.value).startswith(option)
    assert not Report.objects.exists()


def test_reports_page_lists_and_serves_the_file(october, bureau):
    client = Client()
    client.force_login(bureau)
    made = client.post("/monitor/reports/", {"kind": "monthly", "period": "2026-10", "region": "zaozhuang"})
    assert made.status_code == 302
    page = client.get("/monitor/reports/").content.decode()
    assert "月度统计" in page
    download = client.get(Report.objects.get().get_absolute_url())
    assert download.status_code == 200 and download["Cache-Control"] == "no-store, private"
