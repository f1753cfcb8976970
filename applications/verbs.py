"""Message kinds of the application flow (core.outbox): code → 中文 name, shown to people."""

MESSAGE_KINDS = {
    "accepted": "申请已受理",
    "stage_started": "环节开始",
    "stage_completed": "环节完成",
    "paused": "暂停计时",
    "resumed": "恢复计时",
    "scheme_replied": "供电方案答复",
    "fee_due": "待缴费用",
    "contract_ready": "合同待签署",
    "appointment_booked": "预约成功",
    "appointment_changed": "预约变更",
    "appointment_cancelled": "预约取消",
    "energised": "已送电",
    "rejected": "申请被驳回",
    "withdrawn": "申请已撤回",
    "complaint_replied": "投诉已答复",
    "warning": "时限预警",
    "overdue": "超期",
    "escalated": "督办",
}
