"""Reads of shared data for pages and other apps."""
from __future__ import annotations

from django.db.models import QuerySet

from accounts import access
from accounts.models import User
from applications.models import Application
from core.models import OutboxMessage
from sharing.connectors import CONNECTORS
from sharing.models import AccessLog, Prospect


def shared_sources(application: Application) -> dict[str, str]:
    """doc_type → where it came from (中文), for the documents the application holds by sharing."""
    return {
        doc.doc_type: f"{CONNECTORS[doc.connector].source}（{CONNECTORS[doc.connector].name}）"
        for doc in application.shared_documents.all()
    }


def prospects_for(user: User) -> QuerySet[Prospect]:
    return access.scope(user, Prospect.objects.select_related("county", "application"), division_field="county")


def access_log(user: User, application: Application) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(application=application).select_related("user")


def joint_status(application: Application) -> list[dict]:
    """Each company the application was forwarded to, with the delivery state of its webhook."""
    rows = list(application.joint_forwards.all())
    sent = {m.key: m for m in OutboxMessage.objects.filter(key__in=[r.outbox_key for r in rows])}
    return [{"utility": r.get_utility_display(), "forwarded_at": r.forwarded_at,
             "status": sent[r.outbox_key].get_status_display() if r.outbox_key in sent else "—"} for r in rows]
