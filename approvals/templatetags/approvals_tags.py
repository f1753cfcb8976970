"""中文 labels for approvals codes and the approval panel on the staff and applicant pages."""
from django import template
from django.utils import timezone

from accounts import access
from approvals import queries
from approvals.document import DOSSIER_NAMES
from approvals.labels import label

register = template.Library()

# What the actions say in English (API), as a person reads it on a page.
ERRORS_ZH = {
    "required": "必填",
    "must be zero or more": "不能为负数",
    "must be a number": "请输入数字",
    "cannot be in the future": "不能晚于今天",
    "already decided": "本案件已作出决定",
    "approval in progress": "该申请已有审批在办理中",
    "not open": "申请已办结，不能再提交审批",
    "one of approved, approved_with_conditions, rejected": "请选择批准、附条件批准或不予批准",
}


@register.filter
def approval_label(code, namespace):
    return label(namespace, str(code))


@register.filter
def dossier_name(code):
    return DOSSIER_NAMES.get(code, code)


@register.filter
def zh_error(message):
    text = str(message)
    if text in ERRORS_ZH:
        return ERRORS_ZH[text]
    if text.startswith("must be at most"):
        return "超出合理范围（" + text.removeprefix("must be at most ") + " 以内）"
    if text.startswith("unknown code"):
        return "未知的穿越对象"
    return text


@register.inclusion_tag("approvals/_panel.html", takes_context=True)
def approvals_panel(context, application):
    user = context["request"].user
    return {
        "application": application,
        "timed": queries.process_time(application, today=timezone.localdate()),
        "approvals": queries.requests_of_application(user, application),
        "may_route": access.can(user, "approval.route") and application.status in ("submitted", "in_progress"),
        "staff": access.can(user, "approval.file") or access.can(user, "approval.decide"),
    }


@register.inclusion_tag("approvals/_overdue.html", takes_context=True)
def approvals_overdue(context):
    """Overdue department cases and completion pushes in the reader's jurisdiction (monitoring lists)."""
    user = context["request"].user
    today = timezone.localdate()
    return {
        "cases": list(queries.overdue_cases(user, today=today)),
        "pushes": list(queries.completion_push_overdue(user, today=today).select_related("application__county")),
    }
