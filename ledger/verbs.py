"""Event verbs of the task ledger (CONTRACTS §1)."""

VERBS = {
    "ledger.loaded": "导入任务台账",
    "ledger.task_changed": "台账任务随种子更正",
    "ledger.task_started": "任务开始推进",
    "ledger.report_submitted": "报送任务进展",
    "ledger.report_accepted": "认可任务进展",
    "ledger.report_returned": "退回任务进展",
    "ledger.task_done": "任务验收完成",
    "ledger.task_reopened": "任务重新打开",
    "ledger.milestone_added": "新增阶段性目标",
    "ledger.milestone_done": "阶段性目标完成",
    "ledger.problem_added": "新增问题清单事项",
    "ledger.rectification_opened": "新增整改事项",
    "ledger.rectification_closed": "整改事项完成",
}
MESSAGE_KINDS = {
    "ledger_report_reviewed": "任务进展审核结果",
}
