"""Event verbs and message kinds (core.outbox) of applications, stages, documents, escalations,
schemes, projects and fees: code → 中文, shown to people."""
from core.verbs import Origin

VERBS = {
    "application.created": "提交用电申请",
    "application.accepted": "受理申请",
    "application.energised": "装表接电完成",
    "application.rejected": "驳回申请",
    "application.withdrawn": "撤回申请",
    "stage.started": "环节开始",
    "stage.completed": "环节办结",
    "stage.paused": "暂停计时",
    "stage.resumed": "恢复计时",
    "stage.warning": "环节临期预警",
    "stage.overdue": "环节超期",
    "stage.assigned": "指派经办人",
    "stage.due_recomputed": "重算办理时限",
    "policy.refused": "拒绝政策外要求",
    "document.uploaded": "上传资料",
    "document.deleted": "删除未审核的资料",
    "escalation.opened": "发起督办",
    "escalation.replied": "回复督办",
    "escalation.closed": "办结督办",
    "scheme.proposed": "提出供电方案",
    "scheme.chosen": "选定供电方案",
    "project.opened": "登记项目",
    "project.updated": "更新项目",
    "fee.added": "核定费用",
    "contractor.chosen": "用户自主选择设计/施工/供货单位",
    # The second person (双人复核, force-majeure approval) confirms themselves.
    "confirmation.requested": "提请复核或审批",
    "confirmation.confirmed": "本人确认复核或审批",
    "confirmation.declined": "退回复核或审批",
}

MESSAGE_KINDS = {
    "accepted": "申请已受理",
    "stage_started": "环节开始",
    "stage_completed": "环节完成",
    "paused": "暂停计时",
    "resumed": "恢复计时",
    "scheme_replied": "供电方案答复",
    "fee_due": "待缴费用",
    "energised": "已送电",
    "rejected": "申请被驳回",
    "withdrawn": "申请已撤回",
    "warning": "时限预警",
    "overdue": "超期",
    "escalated": "督办",
    # The second person's queue.
    "confirmation_requested": "待您复核或审批",
    "confirmation_declined": "复核或审批未通过",
}

# `audit verify` reports applications and fees that no event accounts for.
ORIGINS = [
    Origin(model="applications.Application", verb="application.created"),
    Origin(model="applications.Fee", verb="fee.added", subject="application"),
    Origin(model="applications.ContractorChoice", verb="contractor.chosen", subject="application"),
]
