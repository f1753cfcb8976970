"""Event verbs and message kinds of approvals (CONTRACTS.md §1, §3)."""

VERBS = {
    "approval.submitted": "提交电力接入工程审批",
    "approval.approved": "电力接入工程审批通过",
    "approval.rejected": "电力接入工程未通过审批",
    "approval_case.decided": "部门作出审批决定",
    "approval_case.escalated": "部门审批超期督办",
    "approval.dossier_filed": "在线提交备案材料",
    "approval.filing_issued": "出具备案证明",
    "approval.works_completed": "接入工程竣工",
    "approval.restored": "道路绿化恢复",
    "approval.completion_pushed": "推送施工信息和竣工测量结果",
    "application.process_time_recorded": "记录全流程办理时长",
}

MESSAGE_KINDS = {
    "approval_case_opened": "电力接入工程审批待办",
    "approval_case_escalated": "审批超期督办",
    "approval_decided": "审批结果通知",
    "approval_completion_push": "竣工信息推送",
}
