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
