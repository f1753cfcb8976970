"""The ledger pages: a region by area and by deadline, my tasks, one task with live values,
reporting with evidence, review, and the Excel export in the seeds' columns."""
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ledger import live
from ledger.models import Report, Task

CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def erin_client(client, ledgers):
    client.force_login(ledgers.erin)
    return client


def test_a_region_page_lists_every_row_with_chinese_names(erin_client):
    page = erin_client.get("/ledger/shaanxi/").content.decode()
    for number in (1, 30, 60):
        assert f'id="task-{number}"' in page
    assert "省电力公司、省地方电力公司按职责分工负责" in page and "已逾期" in page
    shown = re.sub(r"<[^>]+>", " ", page)  # what a person reads: no raw codes
    assert not re.search(r"\b(not_started|in_progress|overdue|at_risk|energy_bureau|utility)\b", shown)


def test_filters_and_order_by_deadline(erin_client):
    page = erin_client.get("/ledger/shaanxi/?unit=regulator").content.decode()
    assert 'id="task-58"' in page and 'id="task-1"' not in page
    by_deadline = erin_client.get("/ledger/shaanxi/?order=deadline").content.decode()
    assert by_deadline.index('id="task-2"') < by_deadline.index('id="task-1"')  # 2020年底前 before 2022年底前
    bad = erin_client.get("/ledger/shaanxi/?status=late").content.decode()
    assert "应为" in bad


def test_my_tasks_are_those_of_my_units(client, ledgers):
    client.force_login(ledgers.world.rita)  # 国家能源局西北监管局
    page = client.get("/ledger/mine/").content.decode()
    assert 'id="task-58"' in page and 'id="task-30"' not in page


def test_a_task_with_an_indicator_shows_its_live_value_or_says_there_is_none(erin_client, monkeypatch):
    page = erin_client.get("/ledger/shaanxi/3/").content.decode()
    assert "尚无数据" in page and "20 个工作日" in page

    def lv_sanling_days(*, region, category, **_):
        assert (region, category) == ("shaanxi", "lv_sanling")
        return live.LiveValue(value=12.5, unit="workday", as_of=dt.date(2026, 11, 30), period="2026-11", sample=40)

    monkeypatch.setitem(live.SOURCES, "full_process_days_avg", lv_sanling_days)
    page = erin_client.get("/ledger/shaanxi/3/").content.decode()
    assert "12.5 个工作日" in page and "达标" in page and "尚无数据" not in page


def test_report_with_evidence_then_review_through_the_pages(client, ledgers):
    w = ledgers.world
    client.force_login(w.carol)
    upload = SimpleUploadedFile("联调记录.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post("/ledger/shaanxi/30/report/", {"kind": "completion", "text": "已上线", "files": upload,
                                                          "idempotency_key": "p1"})
    assert response.status_code == 302
    report = Report.objects.get()
    evidence = report.evidence.get()
    assert client.get(f"/ledger/evidence/{evidence.pk}/").status_code == 200
    empty = client.post("/ledger/shaanxi/30/report/", {"kind": "progress", "text": ""})
    assert empty.status_code == 400 and "必填" in empty.content.decode()
    assert client.post("/ledger/shaanxi/30/review/", {"report": report.pk, "decision": "accept"}).status_code == 403
    client.force_login(ledgers.erin)
    page = client.get("/ledger/shaanxi/30/").content.decode()
    assert "联调记录.pdf" in page and "认可并验收完成" in page
    client.post("/ledger/shaanxi/30/review/", {"report": report.pk, "decision": "accept", "note": "同意"})
    assert Task.objects.get(region="shaanxi", number=30).status == "done"


def test_applicants_and_other_regions_see_nothing(client, ledgers):
    client.force_login(ledgers.world.alice)
    refused = client.get("/ledger/shaanxi/")
    # The site's own 403 page (core.middleware.DomainErrorPages) shows the refusal's message.
    assert refused.status_code == 403 and "您的角色无权办理此项" in refused.content.decode()
    client.force_login(ledgers.erin)
    assert client.get("/ledger/zhejiang/").status_code == 404


def test_excel_export_has_the_seed_columns_and_merged_categories(erin_client):
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=CST), tick=False):
        response = erin_client.get("/ledger/shaanxi/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:5] == ["序号", "分类", "工作目标任务", "责任单位", "完成时间"]
    assert [sheet.cell(row=3 + i, column=1).value for i in range(60)] == list(range(1, 61))
    assert sheet.cell(row=3, column=2).value == "工作目标"
    assert "B3:B14" in {str(r) for r in sheet.merged_cells.ranges}  # rows 1–12 share 工作目标
    assert sheet.cell(row=3 + 57, column=4).value == "国家能源局西北监管局"
