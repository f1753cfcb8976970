"""A Shaanxi task from report to acceptance, check-ins of ongoing tasks, milestones, problem
lists and rules clean-up — through the actions, with the time frozen where it matters."""
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from core.errors import Conflict, Forbidden, InvalidInput
from core.models import Event, OutboxMessage
from ledger import actions, queries
from ledger.models import Report, Task

CST = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, 10, 0, tzinfo=CST), tick=False)


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def test_loading_twice_changes_nothing_and_counts_match(ledgers):
    result = actions.ledger_load()
    assert result.created == {"shaanxi": 0, "zaozhuang": 0, "zhejiang": 0}
    assert result.unchanged == {"shaanxi": 60, "zaozhuang": 68, "zhejiang": 66}
    assert Task.objects.filter(region="zhejiang", empty=True).count() == 1


def test_a_utility_reports_with_evidence_and_the_bureau_accepts_completion(ledgers):
    w = ledgers.world
    task = Task.objects.get(region="shaanxi", number=30)  # 省电力公司、省地方电力公司: carol's utility answers
    with at(2026, 3, 2):
        report = actions.report_submit(task=task, by=w.carol, kind="progress", text="已完成证照共享接口联调",
                                       files=[pdf()], idempotency_key="k1")
        again = actions.report_submit(task=task, by=w.carol, kind="progress", text="已完成证照共享接口联调",
                                      idempotency_key="k1")
        assert again.pk == report.pk and report.evidence.count() == 1
        task.refresh_from_db()
        assert task.status == "in_progress"
        done = actions.report_submit(task=task, by=w.carol, kind="completion", text="数据互认共享已上线")
    with pytest.raises(Forbidden):
        actions.report_review(report=done, by=w.carol, accept=True)
    with pytest.raises(InvalidInput) as returned_without_reason:
        actions.report_review(report=done, by=ledgers.erin, accept=False)
    assert "note" in returned_without_reason.value.fields
    with at(2026, 3, 5):
        actions.report_review(report=done, by=ledgers.erin, accept=True, note="材料齐全")
    task.refresh_from_db()
    assert task.status == "done"
    assert queries.standing_of(task, dt.date(2026, 3, 5)).status.value == "done"
    told = OutboxMessage.objects.filter(key__startswith=f"ledger:report:{done.pk}:reviewed").first()
    assert told.user == w.carol and "已认可" in told.text
    verbs = list(Event.objects.filter(subject_id=str(task.pk)).values_list("verb", flat=True))
    assert verbs == ["ledger.report_submitted", "ledger.report_submitted", "ledger.report_accepted",
                     "ledger.task_done"]


def test_only_a_responsible_unit_may_report(ledgers):
    w = ledgers.world
    regulator_task = Task.objects.get(region="shaanxi", number=58)  # 国家能源局西北监管局
    with pytest.raises(Forbidden):
        actions.report_submit(task=regulator_task, by=w.carol, kind="progress", text="x")
    report = actions.report_submit(task=regulator_task, by=w.rita, kind="check_in", text="开展专项督查一次")
    assert report.organisation == w.orgs.regulator


def test_evidence_must_be_what_it_says_and_bounded(ledgers):
    w = ledgers.world
    task = Task.objects.get(region="shaanxi", number=30)
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as bad:
        actions.report_submit(task=task, by=w.carol, kind="progress", text="见附件", files=[fake])
    assert "files" in bad.value.fields
    with pytest.raises(InvalidInput):
        actions.report_submit(task=task, by=w.carol, kind="progress", text="x" * 4001)
    assert not Report.objects.exists()


def test_ongoing_tasks_must_check_in_every_quarter(ledgers):
    task = Task.objects.get(region="shaanxi", number=57)  # 持续推进, energy bureau
    loaded = task.loaded_on
    assert queries.standing_of(task, loaded + dt.timedelta(days=30)).status.value == "not_started"
    late = queries.standing_of(task, loaded + dt.timedelta(days=120))
    assert late.status.value == "at_risk" and "检查" in late.reason
    with at(2026, 5, 6):
        actions.report_submit(task=task, by=ledgers.erin, kind="check_in", text="本季度协调解决问题3件")
    task.refresh_from_db()
    assert task.last_check_in == dt.date(2026, 5, 6)
    assert queries.standing_of(task, dt.date(2026, 6, 1)).status.value == "in_progress"


def test_done_ongoing_rows_start_done_and_dated_rows_turn_overdue(ledgers):
    zz = {t.number: t for t in Task.objects.filter(region="zaozhuang")}
    assert zz[2].status == "done" and zz[2].deadline_kind == "done_ongoing"
    assert queries.standing_of(zz[7], dt.date(2021, 6, 1)).status.value == "at_risk"  # due 2021-06-30
    assert queries.standing_of(zz[7], dt.date(2021, 7, 1)).status.value == "overdue"


def test_a_unit_adds_a_yearly_milestone_which_binds_until_met(ledgers):
    w = ledgers.world
    task = Task.objects.get(region="shaanxi", number=24)  # 2022年底前 (注2: yearly milestones)
    with at(2026, 2, 1):
        with pytest.raises(InvalidInput):
            actions.milestone_add(task=task, by=w.carol, on=dt.date(2023, 1, 1), text="晚于完成时间")
        milestone = actions.milestone_add(task=task, by=w.carol, on=dt.date(2021, 12, 31), text="2021年完成试点")
    assert "2021-12-31" in queries.standing_of(task, dt.date(2022, 1, 10)).reason
    actions.milestone_done(milestone=milestone, by=ledgers.erin)
    task.refresh_from_db()
    assert queries.standing_of(task, dt.date(2022, 1, 10)).status.value == "not_started"


def test_problem_list_items_and_rules_cleanup_are_tasks_with_rectification(ledgers):
    w = ledgers.world
    problem = actions.problem_add(region="shaanxi", by=ledgers.erin, area="问题清单",
                                  text="部分营业厅仍要求客户提交用电承诺书", deadline=dt.date(2026, 6, 30),
                                  units=["utility"])
    assert problem.number == 61 and problem.kind == "problem"
    item = actions.rectification_open(task=problem, by=ledgers.erin, action="fix", subject="取消承诺书",
                                      measure="全省营业厅清理", due=dt.date(2026, 4, 30))
    assert queries.standing_of(problem, dt.date(2026, 5, 1)).status.value == "overdue"
    completion = actions.report_submit(task=problem, by=w.carol, kind="completion", text="已清理")
    with pytest.raises(Conflict):
        actions.report_review(report=completion, by=ledgers.erin, accept=True)
    actions.rectification_close(item=item, by=w.carol, result="全省营业厅已停止收取承诺书")
    actions.report_review(report=completion, by=ledgers.erin, accept=True)
    problem.refresh_from_db()
    assert problem.status == "done"
    cleanup = Task.objects.get(region="zaozhuang", number=62)
    assert cleanup.kind == "rules_cleanup"
    with pytest.raises(Conflict):
        actions.rectification_open(task=Task.objects.get(region="shaanxi", number=1), by=ledgers.erin,
                                   action="fix", subject="x", measure="", due=dt.date(2026, 1, 1))


def run(*args):
    out = io.StringIO()
    call_command("ledger", *args, stdout=out)
    return out.getvalue()


def test_cli_list_json_is_the_contract(ledgers):
    rows = json.loads(run("list", "--region", "zhejiang", "--json"))
    assert len(rows) == 66
    assert set(rows[0]) >= {"number", "area", "task", "responsible", "deadline", "deadline_kind", "milestones",
                            "status", "empty", "indicator"}
    row51 = rows[50]
    assert row51["number"] == 51 and row51["empty"] is True and row51["deadline"] is None
    assert rows[0]["deadline_kind"] == "done_ongoing" and rows[1]["deadline"] == "2021-12-31"
    sx = json.loads(run("list", "--region", "shaanxi", "--json"))
    assert sx[18]["milestones"] == [{"date": "2021-06-30", "text": "2021年上半年", "done": False}]
    mine = json.loads(run("list", "--region", "shaanxi", "--unit", "regulator", "--json"))
    assert [r["number"] for r in mine] == [58]
    with at(2026, 2, 1):  # within a quarter of loading: no check-in is due yet
        done = json.loads(run("list", "--region", "zaozhuang", "--status", "done", "--json"))
    assert len(done) == 22 and {r["deadline_kind"] for r in done} == {"done_ongoing"}


@pytest.mark.parametrize(("args", "needle"), [
    (("--region", "atlantis"), "--region"),
    (("--region", "shaanxi", "--status", "late"), "--status"),
    (("--region", "shaanxi", "--unit", "mayor"), "--unit"),
])
def test_cli_bad_arguments_name_the_flag(ledgers, args, needle):
    with pytest.raises(CommandError) as err:
        run("list", *args)
    assert needle in str(err.value) and err.value.returncode == 2


def test_the_quarterly_report_reads_the_ledgers_progress(ledgers):
    summary = queries.progress_summary(region="zhejiang", today=dt.date(2026, 2, 1))
    assert summary["tasks"] == 65  # 66 rows, row 51 empty
    assert sum(summary["by_status"].values()) == 65
    assert summary["by_status"]["done"] == 10  # the 已完成 巩固推进 rows, within their first quarter
    overdue = {row["number"] for row in summary["attention"] if row["status"] == "overdue"}
    assert 2 in overdue and 51 not in overdue


def test_the_daily_sweep_tells_the_responsible_units_once_a_day(ledgers):
    w = ledgers.world
    today = dt.date(2026, 2, 1)
    first = actions.ledger_remind(today=today)
    assert first > 0
    assert actions.ledger_remind(today=today) == 0  # same day: nothing new
    carol = OutboxMessage.objects.filter(user=w.carol, kind="ledger_attention")
    rita = set(OutboxMessage.objects.filter(user=w.rita, kind="ledger_attention").values_list("subject_id", flat=True))
    # The regulator hears only of its own task (#58), and only if it needs attention.
    assert rita <= {str(Task.objects.get(region="shaanxi", number=58).pk)}
    assert carol.exists() and "台账第" in carol.first().text
