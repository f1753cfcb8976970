"""中文 for codes shown in the portal (core.labels registry). The "verb" table words the
timeline for applicants; an app's own verbs.py takes precedence where it declares a verb."""

LABELS = {
    "verb": {
        "application.created": "提交申请",
        "application.accepted": "业务受理",
        "application.energised": "送电完成",
        "application.rejected": "申请被驳回",
        "application.withdrawn": "申请已撤回",
        "stage.started": "环节开始",
        "stage.completed": "环节完成",
        "stage.paused": "暂停计时（客户原因）",
        "stage.resumed": "恢复计时",
        "stage.warning": "环节预警",
        "stage.overdue": "环节超期",
        "stage.assigned": "环节改派",
        "stage.due_recomputed": "节假日安排公布，到期日重算",
        "document.uploaded": "上传资料",
        "escalation.opened": "超期督办",
        "escalation.replied": "督办回复",
        "escalation.closed": "督办办结",
        "scheme.proposed": "答复供电方案",
        "scheme.chosen": "选定供电方案",
        "fee.added": "登记收费项目",
        "rating.submitted": "服务评价",
        "complaint.filed": "提交投诉",
        "policy.refused": "拒收政策清单外的要求",
        "document.deleted": "删除未审核的资料",
    },
    "profile_kind": {"person": "个人", "enterprise": "企业"},
}
