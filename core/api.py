"""/api/v1/messages/: the signed-in user's in-app messages (the message centre for app clients)."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from accounts.auth import API_AUTH
from core import outbox
from core.errors import NotFound

router = Router(tags=["messages"], auth=API_AUTH)


class MessageOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    link: str
    created_at: datetime
    read: bool


class MessageFilters(Schema):
    unread: bool = False


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int
    unread: int


def _out(message) -> dict:
    return {"id": message.pk, "kind": message.kind, "kind_label": message.kind_label, "text": message.text,
            "link": message.link, "created_at": message.created_at, "read": message.read_at is not None}


@router.get("/", response=list[MessageOut])
@paginate(PageNumberPagination, page_size=50)
def list_messages(request, filters: Query[MessageFilters]):
    """My messages, newest first (`?unread=true` for the unread ones only)."""
    rows = outbox.inbox(request.auth)
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    return [_out(m) for m in rows]


@router.get("/unread", response=UnreadOut)
def unread(request):
    return {"unread": outbox.unread_count(request.auth)}


@router.post("/{int:message_id}/read", response=MarkedOut)
def mark_read(request, message_id: int):
    if not outbox.inbox(request.auth).filter(pk=message_id).exists():
        raise NotFound(f"no message {message_id}", fields={"message_id": "not found"})
    marked = outbox.mark_read(user=request.auth, message_id=message_id)
    return {"marked": marked, "unread": outbox.unread_count(request.auth)}


@router.post("/read-all", response=MarkedOut)
def mark_all_read(request):
    marked = outbox.mark_read(user=request.auth)
    return {"marked": marked, "unread": 0}
