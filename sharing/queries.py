"""Reads of shared data for pages and other apps."""
from __future__ import annotations

from django.db.models import QuerySet

from accounts import access
from accounts.models import User
from applications.models import Application
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
