"""The 水电气暖联办 panel on the staff and applicant application pages."""
from django import template

from accounts import access
from sharing import queries
from sharing.models import JOINT_UTILITIES

register = template.Library()


@register.inclusion_tag("sharing/_joint.html", takes_context=True)
def joint_panel(context, application):
    user = context["request"].user
    rows = queries.joint_status(application)
    done = {r["utility"] for r in rows}
    return {
        "application": application, "rows": rows,
        "choices": [(code, name) for code, name in JOINT_UTILITIES.items() if name not in done],
        "may_forward": access.can(user, "application.accept") and application.is_open,
    }
