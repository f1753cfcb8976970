"""In a real browser: an inspector opens the queue, opens a 10 kV application, pauses the
completion inspection because the customer's works are unfinished, resumes four working
days later and sees the due date moved with its reason; the supervisor's overview."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from applications import actions
from applications.models import Pause, Stage
from applications.tests.conftest import at, enterprise
from core.models import Event
from workdays import clock
from workdays.schedule import get_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]







def test_an_inspector_pauses_and_resumes_and_sees_the_moved_due_date(taierzhuang, page, screenshot, clock_at,
                                                                        login_as):
    team = taierzhuang
    clock_at(at(2026, 9, 28, 10))
    application, _ = actions.application_create(
        by=team.applicant, data=actions.ApplicationInput(**enterprise(county=team.county.code)))
    clock_at(at(2026, 9, 29, 10))
    actions.application_accept(application=application, by=team.account_manager)
    clock_at(at(2026, 10, 9, 16))
    actions.stage_complete(application=application, code="scheme_reply", by=team.designer, result="方案已答复")
    inspection = Stage.objects.get(application=application, code="completion_inspection")
    original_due = inspection.due_date

    clock_at(at(2026, 10, 12, 9))
    login_as(team.inspector)
    page.goto("/work/")
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    row = page.locator("tr", has_text=application.number)
    expect(row).to_contain_text("竣工检验")
    expect(row).to_contain_text(f"{original_due:%Y-%m-%d}")
    # One working day left (10-13): the policy's warning rule flags it before any sweep has run.
    assert actions.stage_alert(inspection, dt.date(2026, 10, 12), schedule=get_schedule()) == Stage.Alert.WARNING
    expect(row.locator(".badge.warn")).to_have_text("预警")
    screenshot("work-queue")

    row.get_by_role("link", name=application.number).click()
    page.wait_for_url(f"**/work/applications/{application.pk}/")
    expect(page.locator("#stage-completion_inspection")).to_contain_text(f"{original_due:%Y-%m-%d}")
    pause_form = page.locator("form.action", has=page.get_by_role("heading", name="暂停（客户原因）"))
    pause_form.get_by_label("暂停原因（客户原因）").select_option("customer_works")
    pause_form.get_by_label("需要客户做什么").fill("客户受电工程未完工")
    pause_form.get_by_role("button", name="暂停计时").click()
    expect(page.get_by_role("status")).to_contain_text("已暂停")
    expect(page.locator("#stage-completion_inspection")).to_contain_text("客户受电工程未完工")
    assert Pause.objects.filter(stage=inspection, ended_at__isnull=True).exists()

    clock_at(at(2026, 10, 16, 9))
    page.get_by_role("button", name="恢复").click()
    moved_due = clock.add(original_due, 4, "workday", get_schedule())  # 10-13 .. 10-16 held by the customer
    expect(page.get_by_role("status")).to_contain_text(
        f"到期日由 {original_due:%Y-%m-%d} 顺延至 {moved_due:%Y-%m-%d}")
    stage_box = page.locator("#stage-completion_inspection")
    expect(stage_box.locator(".due")).to_have_text(f"{moved_due:%Y-%m-%d}")
    stage_box.locator("summary", has_text="到期日为什么是这一天").click()
    expect(stage_box).to_contain_text(f"客户原因暂停 4 个工作日，到期日由 {original_due:%Y-%m-%d} 顺延至 {moved_due:%Y-%m-%d}")
    expect(stage_box.locator(".pauses")).to_contain_text("计 4 个工作日")
    screenshot("work-application")
    assert Stage.objects.get(pk=inspection.pk).due_date == moved_due
    assert Event.objects.filter(verb="stage.resumed", subject_id=str(application.pk)).exists()

    # Later, the inspection runs late: the supervisor's overview lists it.
    clock_at(at(2026, 11, 2, 9))
    actions.stages_check_deadlines(today=dt.date(2026, 11, 2))
    login_as(team.supervisor)
    page.goto("/work/overview/")
    expect(page.get_by_role("heading", name="辖区总览")).to_be_visible()
    expect(page.locator("table.overview").first).to_contain_text("台儿庄区")
    expect(page.locator("#overdue ~ .table-wrap")).to_contain_text(application.number)
    screenshot("work-overview")
