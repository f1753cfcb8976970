"""The transactional outbox: messages are written with the change they tell about and
delivered afterwards, so none is lost when a change commits and none is sent for a change
that rolled back.

    enqueue(kind=..., text=..., key=..., user=... | contact=..., subject=..., channels=...)

is called INSIDE the action's transaction. It writes one row per channel: "inapp" for a user
(the row is the message in their message centre, delivered by being stored) plus the external
channel for people (settings.NOTIFY_CHANNEL: console, sms or email) when they have an address
for it. After commit a huey task delivers the pending rows; a periodic task picks up whatever
that missed (a crashed worker, a queue outage) and retries failures with exponential back-off.
After settings.OUTBOX_MAX_ATTEMPTS failures a row is `dead` and waits for an operator
(`getpower outbox retry`, the admin list).

Exactly once, with a worker that can die at any instruction:
- A worker first CLAIMS a row (a lease, committed before sending), so two workers never send
  the same row at once; a killed worker's lease runs out and the row is sent again.
- "Sent but not marked" therefore happens: the worker died after the gateway accepted the
  message and before it committed `sent`. The retry passes the same idempotency key (the
  row's `key`) to the gateway, which drops a key it has already accepted. So the person gets
  it once, and nothing is lost because the row is not `sent` until the gateway said yes.
  (tests/test_outbox_kill.py kills a real worker process at exactly that moment.)
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from core import events, pii, verbs
from core.channels import CHANNELS, Delivery, DeliveryError, address_for, people_channel
from core.errors import invalid
from core.models import OutboxMessage

logger = logging.getLogger("getpower.outbox")
Status = OutboxMessage.Status
MAX_TEXT = 2000
MAX_KEY = OutboxMessage._meta.get_field("key").max_length - len("#webhook")


# ---------------------------------------------------------------- message kinds (declared per app)

def message_kinds() -> dict[str, str]:
    """Every installed app's `MESSAGE_KINDS` (in its verbs.py, gathered by core.verbs): code → 中文."""
    return verbs.MESSAGE_KINDS


def kind_label(kind: str) -> str:
    return verbs.MESSAGE_KINDS.get(kind, kind)


# ---------------------------------------------------------------- writing

def enqueue(*, kind: str, text: str, key: str, user=None, contact: dict | None = None, subject=None,
            channels: list[str] | None = None, link: str = "") -> OutboxMessage:
    """Write the message for one recipient-event. A second call with the same key is a no-op
    returning the existing row (the first channel's). Call it inside the caller's transaction."""
    text = _checked_text(kind=kind, text=text)
    planned = _planned(key=key, user=user, contact=contact, subject=subject, channels=channels, link=link)
    if planned is None:
        return None  # nobody reads a deactivated account's messages
    now = timezone.now()
    first = None
    with transaction.atomic():
        for row in planned:
            existing = OutboxMessage.objects.filter(key=row.key).first()
            if existing is None:
                try:
                    with transaction.atomic():
                        existing = _message(row, kind=kind, text=text, now=now)
                        existing.save(force_insert=True)
                except IntegrityError:  # a concurrent enqueue of the same event won
                    existing = OutboxMessage.objects.get(key=row.key)
                if existing.status == Status.PENDING:
                    transaction.on_commit(_kick)
            first = first or existing
    return first


@dataclass(frozen=True)
class Recipient:
    """One recipient of a message sent to many: its idempotency key and a user or a contact."""

    key: str
    user: object = None
    contact: dict | None = None


BULK_BATCH = 500


def enqueue_many(*, kind: str, text: str, recipients: list[Recipient], subject=None,
                 channels: list[str] | None = None, link: str = "") -> int:
    """`enqueue` of one message to many recipients, a batch of rows per few queries instead of
    two per row. The same rows as one `enqueue` per recipient: a key already there is skipped,
    deactivated users get nothing. Returns how many rows it wrote. Call it inside the caller's
    transaction."""
    text = _checked_text(kind=kind, text=text)
    planned, seen, links = [], set(), {}
    for recipient in recipients:
        # The subject's link depends on the reader only: one look-up per user, one for all contacts.
        reader = getattr(recipient.user, "pk", None)
        if reader not in links:
            links[reader] = link or (_link_for(subject, recipient.user) if subject is not None else "")
        for row in _planned(key=recipient.key, user=recipient.user, contact=recipient.contact, subject=subject,
                            channels=channels, link=links[reader]) or ():
            if row.key not in seen:  # the same key twice in one call is one row, as with two enqueues
                seen.add(row.key)
                planned.append(row)
    now = timezone.now()
    written = []
    with transaction.atomic():
        # One existence query per batch: an IN list of every key of a 50,000-customer outage
        # would pass SQLite's limit on query parameters.
        for start in range(0, len(planned), BULK_BATCH):
            batch = planned[start:start + BULK_BATCH]
            there = set(OutboxMessage.objects.filter(key__in=[row.key for row in batch])
                        .values_list("key", flat=True))
            rows = [_message(row, kind=kind, text=text, now=now) for row in batch if row.key not in there]
            written += _insert(rows)
        if any(row.status == Status.PENDING for row in written):
            transaction.on_commit(_kick)
    return len(written)


def _insert(rows: list[OutboxMessage]) -> list[OutboxMessage]:
    """Insert a batch; the rows it wrote. A concurrent enqueue may have written one of the keys
    since the existence query: then the batch is retried row by row, skipping the rows already
    there. Not bulk_create(ignore_conflicts=True): it would also hide other constraint
    violations and leave no way to tell which rows this call wrote short of reading them back."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            OutboxMessage.objects.bulk_create(rows)
        return rows
    except IntegrityError:
        pass
    written = []
    for row in rows:
        row.pk = None
        try:
            with transaction.atomic():
                row.save(force_insert=True)
            written.append(row)
        except IntegrityError:
            if not OutboxMessage.objects.filter(key=row.key).exists():
                raise  # not the concurrent enqueue: a real fault
    return written


def _checked_text(*, kind: str, text: str) -> str:
    """The message's kind and text, checked once however many recipients it has."""
    if kind not in message_kinds():
        raise invalid("kind", f"undeclared message kind {kind!r}: add it to MESSAGE_KINDS in the app's verbs.py")
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT or "\x00" in text:
        raise invalid("text", f"1 to {MAX_TEXT} characters, no NUL")
    return text


@dataclass(frozen=True)
class _Planned:
    """One channel's row for one recipient, before it is written (its address still in clear)."""

    key: str
    channel: str
    destination: str
    user: object
    name: str
    subject_type: str
    subject_id: str
    link: str


def _planned(*, key: str, user, contact: dict | None, subject, channels: list[str] | None,
             link: str) -> list[_Planned] | None:
    """The rows one recipient-event gets, first channel first; None for a deactivated user."""
    if not key or len(key) > MAX_KEY:
        raise invalid("key", f"1 to {MAX_KEY} characters")
    if (user is None) == (contact is None):
        raise invalid("user", "give a user or a contact, not both or neither")
    contact = contact or {}
    name = (contact.get("name") or "")[:128]
    phone = contact.get("phone") or (getattr(user, "phone", "") if user is not None else "")
    email = contact.get("email") or (getattr(user, "email", "") if user is not None else "")
    if user is not None and not user.is_active:
        return None
    wanted = list(channels) if channels is not None else (
        (["inapp"] if user is not None else []) + [people_channel()])
    for code in wanted:
        if code not in CHANNELS:
            raise invalid("channels", f"unknown channel {code!r}; one of {', '.join(CHANNELS)}")
        if code == "inapp" and user is None:
            raise invalid("channels", "in-app messages need a user")
    subject_type, subject_id = ("", "") if subject is None else (subject._meta.label_lower, str(subject.pk))
    if not link and subject is not None:
        link = _link_for(subject, user)
    planned = []
    for code in wanted:
        destination = address_for(code, phone=phone, email=email, user=user is not None,
                                  url=contact.get("url") or "") if code != "inapp" else ""
        if destination is None:
            continue  # the recipient has no address on this channel: nothing to send there
        planned.append(_Planned(key=key if code == wanted[0] else f"{key}#{code}", channel=code,
                                destination=destination, user=user, name=name, subject_type=subject_type,
                                subject_id=subject_id, link=link[:255]))
    return planned


def _message(row: _Planned, *, kind: str, text: str, now) -> OutboxMessage:
    """The unsaved row, its address encrypted (only for rows about to be written)."""
    return OutboxMessage(
        key=row.key, user=row.user, contact_name=row.name,
        destination_enc=pii.encrypt(row.destination, key=settings.PII_KEY) if row.destination else "",
        kind=kind, channel=row.channel, text=text, subject_type=row.subject_type, subject_id=row.subject_id,
        link=row.link,
        # In-app: stored is delivered.
        status=Status.SENT if row.channel == "inapp" else Status.PENDING,
        sent_at=now if row.channel == "inapp" else None,
        next_attempt_at=now, created_at=now,
    )


def known(key: str) -> bool:
    """Whether the recipient-event with this key has been enqueued already."""
    return OutboxMessage.objects.filter(key=key).exists()


def _link_for(subject, user) -> str:
    """Where the message centre links to: the subject's own page for this reader."""
    if hasattr(subject, "message_link"):
        return subject.message_link(user) or ""
    if hasattr(subject, "get_absolute_url"):
        return subject.get_absolute_url()
    return ""


def _kick() -> None:
    """After commit: ask the worker to deliver now (inline in tests, where huey is immediate)."""
    from core.tasks import deliver_outbox

    try:
        deliver_outbox()
    except Exception:  # the queue being down must not fail the user's request; the sweep retries
        logger.exception("could not queue outbox delivery; the periodic sweep will pick it up")


# ---------------------------------------------------------------- delivering

def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt `attempts + 1`: 30 s, 60 s, 120 s … doubling, capped."""
    seconds = settings.OUTBOX_BACKOFF_SECONDS * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, settings.OUTBOX_BACKOFF_MAX_SECONDS))


def _claim(*, limit: int) -> list[OutboxMessage]:
    """Take up to `limit` due rows for this worker: lease them and count the attempt, committed
    before anything is sent. skip_locked lets several workers claim side by side (PostgreSQL)."""
    now = timezone.now()
    with transaction.atomic():
        due = (OutboxMessage.objects.select_for_update(skip_locked=True)
               .filter(status__in=[Status.PENDING, Status.FAILED], next_attempt_at__lte=now)
               .filter(models.Q(lease_until__isnull=True) | models.Q(lease_until__lt=now))
               .order_by("next_attempt_at", "id")[:limit])
        rows = list(due)
        lease = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        for row in rows:
            row.attempts += 1
            row.lease_until = lease
        OutboxMessage.objects.bulk_update(rows, ["attempts", "lease_until"])
    return rows


def _send(row: OutboxMessage) -> None:
    destination = pii.decrypt(row.destination_enc, key=settings.PII_KEY) if row.destination_enc else ""
    CHANNELS[row.channel].send(Delivery(destination=destination, text=row.text, key=row.key,
                                        subject=kind_label(row.kind)))


def _mark(row: OutboxMessage, error: str | None) -> str:
    now = timezone.now()
    if error is None:
        status, fields = Status.SENT, {"status": Status.SENT, "sent_at": now, "lease_until": None, "last_error": ""}
    elif row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        status, fields = Status.DEAD, {"status": Status.DEAD, "lease_until": None, "last_error": error[:500]}
    else:
        status, fields = Status.FAILED, {"status": Status.FAILED, "lease_until": None, "last_error": error[:500],
                                         "next_attempt_at": now + backoff(row.attempts)}
    OutboxMessage.objects.filter(pk=row.pk, lease_until=row.lease_until).update(**fields)
    return status


@dataclass
class DeliveryRun:
    sent: int = 0
    failed: int = 0
    dead: int = 0

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "dead": self.dead}


def deliver_due(*, batch: int = 50, max_rows: int = 1000) -> DeliveryRun:
    """Send what is due, `batch` claimed rows at a time, until none is due (or `max_rows`)."""
    run = DeliveryRun()
    done = 0
    while done < max_rows:
        rows = _claim(limit=min(batch, max_rows - done))
        if not rows:
            break
        for row in rows:
            try:
                _send(row)
                error = None
            except DeliveryError as exc:
                error = str(exc)
            except Exception as exc:  # a bug in one channel must not stop the others
                logger.exception("channel %s failed on message %s", row.channel, row.pk)
                error = f"{type(exc).__name__}: {exc}"
            status = _mark(row, error)
            setattr(run, status, getattr(run, status) + 1)
            if error:
                logger.warning("message %s on %s not delivered (attempt %s): %s", row.pk, row.channel,
                               row.attempts, error)
        done += len(rows)
    return run


def retry(*, by, dead: bool = True) -> int:
    """Operator's retry: failed rows are due now; dead rows (with `dead`) get a fresh set of
    attempts. Writes `outbox.retried` when a message was retried."""
    now = timezone.now()
    with transaction.atomic():
        n = OutboxMessage.objects.filter(status=Status.FAILED).update(next_attempt_at=now, lease_until=None)
        if dead:
            n += OutboxMessage.objects.filter(status=Status.DEAD).update(
                status=Status.PENDING, attempts=0, next_attempt_at=now, lease_until=None)
        if n:
            events.record(actor=by, verb="outbox.retried", data={"messages": n})
    return n


def stats() -> dict[str, int]:
    counts = dict(OutboxMessage.objects.values_list("status").annotate(n=models.Count("id")).order_by())
    return {status: counts.get(status, 0) for status in Status.values}


# ---------------------------------------------------------------- reading (the message centre)

def inbox(user):
    """A user's in-app messages, newest first."""
    return OutboxMessage.objects.filter(user=user, channel="inapp").order_by("-created_at", "-id")


def unread_count(user) -> int:
    return OutboxMessage.objects.filter(user=user, channel="inapp", read_at__isnull=True).count()


def mark_read(*, user, message_id: int | None = None) -> int:
    """Mark one of the user's messages (or all, without `message_id`) read; returns how many changed."""
    rows = OutboxMessage.objects.filter(user=user, channel="inapp", read_at__isnull=True)
    if message_id is not None:
        rows = rows.filter(pk=message_id)
    return rows.update(read_at=timezone.now())
