"""Reads of the core tables for the console: messages sent to people."""
from __future__ import annotations

from django.db.models import Model, QuerySet

from core.models import OutboxMessage


def messages(*, user=None, subject: Model | None = None, kind: str = "", channel: str = "") -> QuerySet[OutboxMessage]:
    """Messages newest first with their recipient: to `user`, about `subject`, of a kind, on a channel."""
    rows = OutboxMessage.objects.select_related("user").order_by("-created_at", "-id")
    if user is not None:
        rows = rows.filter(user=user)
    if subject is not None:
        rows = rows.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
    if kind:
        rows = rows.filter(kind=kind)
    if channel:
        rows = rows.filter(channel=channel)
    return rows
