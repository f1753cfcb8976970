"""Event verbs of complaints (CONTRACTS.md §1) and the message kinds they send (§3)."""

VERBS = {
    "complaint.filed": "提交投诉",
    "complaint.replied": "答复投诉",
    "complaint.confirmed": "投诉人确认满意",
    "complaint.reopened": "投诉人不满意，重新处理",
    "complaint.closed": "投诉办结",
    "complaint.overdue": "投诉超期未答复",
}
MESSAGE_KINDS = {
    "complaint_replied": "投诉已答复",
    "complaint_filed": "收到投诉",
    "complaint_reopened": "投诉人不满意，重新处理",
}
