"""The unread-message count in the navigation of every page (one indexed count per request)."""
from django.urls import reverse

from core import outbox


def message_centre(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": outbox.unread_count(user), "message_centre_url": reverse(message_face(user))}


def message_face(user) -> str:
    """Applicants read messages in the portal, everyone else in the workbench."""
    from accounts.roles import Role

    return "customers:messages" if user.roles <= {Role.APPLICANT} else "applications:messages"


def navigation(request) -> dict:
    """Which links the navigation shows: each page only to the roles that may open it. The API
    (开放接口) is for staff and the systems they connect: applicants and visitors are not shown the
    link (the docs themselves stay reachable for integrators)."""
    from accounts.access import can
    from accounts.roles import WORKBENCH_ROLES, Role

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show_api_link": False, "nav": {}}
    everything = user.is_superuser
    return {"show_api_link": everything or bool(user.roles - {Role.APPLICANT}),
            "nav": {"workbench": everything or bool(user.roles & WORKBENCH_ROLES),
                    "ledger": everything or can(user, "ledger.view"),
                    "monitor": everything or can(user, "indicators.view"),
                    "endpoints": everything or can(user, "monitoring.endpoints")}}
