"""中文 labels of the ledger's codes (CONTRACTS §2)."""
from ledger.units import UNITS

LABELS = {
    "ledger_status": {
        "not_started": "未开始",
        "in_progress": "推进中",
        "done": "已完成",
        "at_risk": "有风险",
        "overdue": "已逾期",
    },
    "deadline_kind": {"date": "限期完成", "done_ongoing": "已实现，持续巩固", "ongoing": "持续推进"},
    "ledger_unit": {code: unit.name for code, unit in UNITS.items()},
    "task_kind": {"task": "工作任务", "rules_cleanup": "制度立改废", "problem": "问题清单"},
    "report_kind": {"progress": "进展报告", "check_in": "定期检查", "completion": "完成申请"},
    "review": {"pending": "待审核", "accepted": "已认可", "returned": "已退回"},
    "rectification_action": {"fix": "整改", "establish": "立", "amend": "改", "abolish": "废"},
    "target_kind": {"limit": "逐案时限", "average": "平均值目标", "share": "比例目标", "relative": "相对目标"},
    "indicator": {
        "grid_side_days_avg": "电网环节平均办理时长",
        "full_process_days_avg": "全流程平均办电时间",
        "full_process_days_reduction": "全流程办电时间压减",
        "approval_days_avg": "电力接入工程平均审批时间",
        "online_application_rate": "线上办电率",
        "saidi": "户均停电时间",
        "saidi_yoy_reduction": "户均停电时间同比压缩",
    },
}
