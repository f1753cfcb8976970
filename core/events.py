"""Write and check the event log.

`record` appends one event inside the caller's transaction; `verify` walks the whole
chain and names the first event that was edited, deleted or inserted out of order.

Each event's hash is HMAC-SM3(AUDIT_KEY, prev_hash || canonical_json(fields)). The key
lives in settings, not in the database, so someone who can write the tables can break
the chain but cannot re-forge it.
"""
from __future__ import annotations

import datetime as dt
import decimal
import enum
import hmac as std_hmac
import json
import math
import re
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from core import pii, verbs
from core.errors import InvalidInput, invalid
from core.models import GENESIS_HASH, ChainHead, Event

# Rows per round trip while verifying: bounded memory however long the log grows.
VERIFY_CHUNK_SIZE = 2000
VERB_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
SYSTEM_ACTOR = "system"
ANONYMOUS_ACTOR = "anonymous"


def canonical_json(value: Any) -> bytes:
    """The one byte form that is hashed: sorted keys, no whitespace, UTF-8, and every
    non-JSON value turned into a fixed text form (see `_plain`)."""
    return json.dumps(
        _plain(value, ""), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _plain(value: Any, path: str) -> Any:
    """Reduce a value to plain JSON that reads back identically from SQLite and from
    PostgreSQL jsonb, so the hash computed at write time is the hash recomputed later."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value, path)
    if isinstance(value, str):
        # PostgreSQL jsonb cannot hold U+0000; refuse it on every database alike.
        if "\x00" in value:
            raise invalid(path, "text must not contain the NUL character")
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise invalid(path, "numbers must be finite (no NaN or infinity)")
        # jsonb prints 1e20 as 100000000000000000000 (read back as int); store it as int from the start.
        return int(value) if value.is_integer() else value
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise invalid(path, "numbers must be finite (no NaN or infinity)")
        return str(value)  # exact, keeps the scale ("1.10"), never rounded through float
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise invalid(path, "a date-time needs a time zone")
        return value.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        plain = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise invalid(path, f"keys must be text, got {type(key).__name__} {key!r}")
            plain[str(key)] = _plain(item, f"{path}.{key}" if path else key)
        return plain
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise invalid(path, f"{type(value).__name__} cannot be stored in the event log (no fixed JSON form)")


def _secret(key: str | bytes | None) -> bytes:
    raw = settings.AUDIT_KEY if key is None else key
    if not raw:
        raise ImproperlyConfigured("GETPOWER_AUDIT_KEY is empty: the event chain needs a secret key")
    return raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)


def chain_hash(*, event: Event, secret: bytes) -> str:
    """HMAC-SM3 over the previous hash and every field that says what happened."""
    payload = canonical_json(
        {
            "seq": event.seq,
            "at": event.at,
            "actor_id": None if event.actor_id is None else str(event.actor_id),
            "actor_label": event.actor_label,
            "verb": event.verb,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "data": event.data,
            "claimed_at": event.claimed_at,
        }
    )
    mac = hmac.HMAC(secret, hashes.SM3())
    mac.update(event.prev_hash.encode("utf-8"))
    mac.update(payload)
    return mac.finalize().hex()


def _field_fits(field: str, value: str) -> str:
    # SQLite does not enforce max_length; check here so both databases refuse the same input.
    limit = Event._meta.get_field(field).max_length
    if len(value) > limit:
        raise invalid(field, f"at most {limit} characters")
    return value


def _actor_ref(actor: Any) -> tuple[Any, str]:
    if actor is None:
        return None, SYSTEM_ACTOR
    if isinstance(actor, str):
        # A job or import acting on its own, e.g. "job:escalations".
        if not actor.strip():
            raise invalid("actor", "a system actor needs a name")
        return None, _field_fits("actor_label", actor)
    if not getattr(actor, "is_authenticated", False):
        return None, ANONYMOUS_ACTOR
    if actor.pk is None:
        raise invalid("actor", "user is not saved yet")
    return actor, _field_fits("actor_label", actor_label(actor.get_username()))


# A username that is a phone number or an e-mail address (accounts made before usernames were
# generated) is personal data: the log, which can never be erased, keeps it masked.
_PERSONAL_NAME = re.compile(r"\+?[\d\- ]{7,}|[^@\s]+@[^@\s]+")


def actor_label(username: str) -> str:
    """The name an event shows for a user (their id is in `actor_id`)."""
    return pii.mask(username) if _PERSONAL_NAME.fullmatch(username) else username


def _subject_ref(subject: models.Model | None, subject_type: str | None, subject_id: Any) -> tuple[str, str]:
    if subject is not None:
        if subject_type is not None or subject_id is not None:
            raise invalid("subject", "give a model instance or subject_type and subject_id, not both")
        if not isinstance(subject, models.Model):
            raise invalid("subject", f"must be a model instance, got {type(subject).__name__}")
        if subject.pk is None:
            raise invalid("subject", "is not saved yet (no primary key)")
        subject_type, subject_id = subject._meta.label_lower, subject.pk
    elif subject_type is None and subject_id is None:
        return "", ""
    if not subject_type:
        raise invalid("subject_type", "required with subject_id")
    if subject_id is None or str(subject_id) == "":
        raise invalid("subject_id", "required with subject_type")
    return _field_fits("subject_type", subject_type), _field_fits("subject_id", str(subject_id))


def _claimed_time(claimed_at: Any) -> dt.datetime | None:
    if claimed_at is None:
        return None
    if not isinstance(claimed_at, dt.datetime):
        raise invalid("claimed_at", f"must be a date-time, got {type(claimed_at).__name__}")
    # A client's wall-clock time without an offset means server-local (China) time, whatever
    # time zone the request activated.
    if timezone.is_naive(claimed_at):
        return timezone.make_aware(claimed_at, timezone.get_default_timezone())
    return claimed_at


def record(
    *,
    actor: Any,
    verb: str,
    subject: models.Model | None = None,
    subject_type: str | None = None,
    subject_id: Any = None,
    data: dict | None = None,
    claimed_at: dt.datetime | None = None,
) -> Event:
    """Append one event and return it.

    `actor` is a user, a system actor name ("job:escalations") or None for the system.
    The subject is a saved model instance, or subject_type ("app_label.model") plus
    subject_id. `claimed_at` is a time the client asserted: kept as a claim, while `at`
    is always the server's time.

    Call it inside the action's transaction, as late as possible: the chain head stays
    locked until that transaction ends, so every writer of events queues behind it.
    Keep personal data out of `data` (store core.pii.mask or a lookup digest instead):
    what is logged can never be erased.
    """
    user, actor_label = _actor_ref(actor)
    if not isinstance(verb, str) or not VERB_PATTERN.fullmatch(verb):
        raise invalid("verb", 'lower-case dotted words such as "stage.paused"')
    if not verbs.is_declared(verb):
        # A verb nobody declared has no 中文 label and is a typo until proven otherwise.
        raise invalid("verb", f"undeclared verb {verb!r}: declare it with its 中文 label in <app>/verbs.py")
    _field_fits("verb", verb)
    subject_type, subject_id = _subject_ref(subject, subject_type, subject_id)
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise invalid("data", f"must be an object (dict), got {type(data).__name__}")
    plain_data = _plain(data, "data")
    claimed = _claimed_time(claimed_at)
    secret = _secret(None)

    # No savepoint: an event that fails to record must fail the caller's whole action, and
    # on PostgreSQL a subtransaction per event makes long transactions slower and slower.
    with transaction.atomic(savepoint=False):
        # PostgreSQL: the row lock queues concurrent writers. SQLite ignores FOR UPDATE, but
        # its transactions begin IMMEDIATE (settings), which already takes the write lock.
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        now = timezone.now()
        # Read the clock under the lock and never step back, so `at` follows `seq`.
        at = max(now, head.last_at) if head.last_at else now
        event = Event(
            seq=head.last_seq + 1,
            at=at,
            actor=user,
            actor_label=actor_label,
            verb=verb,
            subject_type=subject_type,
            subject_id=subject_id,
            data=plain_data,
            claimed_at=claimed,
            prev_hash=head.last_hash,
        )
        event.hash = chain_hash(event=event, secret=secret)
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash, last_at=at)
    return event


@dataclass(frozen=True)
class Broken:
    seq: int
    id: int | None
    verb: str | None
    problem: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int  # events found intact (the walk stops at the first broken one)
    head: str  # hash of the last intact event
    first_broken: Broken | None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "events": self.events,
            "head": self.head,
            "first_broken": None if self.first_broken is None else asdict(self.first_broken),
        }


def _span(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}…#{last}"


class _ChainWalk:
    """Checks events one by one in seq order against what the chain so far implies."""

    def __init__(self, secret: bytes):
        self.secret = secret
        self.count = 0
        self.last: Event | None = None

    @property
    def last_seq(self) -> int:
        return self.last.seq if self.last else 0

    @property
    def last_hash(self) -> str:
        return self.last.hash if self.last else GENESIS_HASH

    def through(self, rows: models.QuerySet) -> Broken | None:
        for event in rows.order_by("seq").iterator(chunk_size=VERIFY_CHUNK_SIZE):
            problem = self._problem(event)
            if problem:
                return Broken(seq=event.seq, id=event.pk, verb=event.verb, problem=problem)
            self.count += 1
            self.last = event
        return None

    def _problem(self, event: Event) -> str | None:
        expected = self.last_seq + 1
        if event.seq > expected:
            return f"deleted: {_span(expected, event.seq - 1)} missing before this event (seq gap)"
        if event.seq < expected:
            return f"inserted out of order: seq {event.seq} does not follow #{self.last_seq}"
        if event.prev_hash != self.last_hash:
            return (
                f"inserted out of order or preceded by a deleted event: prev_hash {event.prev_hash[:16]}… "
                f"is not the hash of #{self.last_seq} ({self.last_hash[:16]}…)"
            )
        if self.last is not None and event.at < self.last.at:
            return (
                f"inserted out of order: at {event.at.isoformat()} is earlier than "
                f"#{self.last_seq} at {self.last.at.isoformat()}"
            )
        try:
            recomputed = chain_hash(event=event, secret=self.secret)
        except InvalidInput as exc:
            return f"edited: stored content has no canonical form ({exc.message})"
        if not std_hmac.compare_digest(recomputed, event.hash):
            return "edited: hash does not match the event's content (or the key is not the one that signed it)"
        return None

    def against_head(self, head: ChainHead | None) -> Broken | None:
        """The head was written with the last event, so the table must end exactly there."""
        if head is None:
            if self.last is None:
                return None
            return Broken(
                seq=self.last.seq, id=self.last.pk, verb=self.last.verb,
                problem="head mismatch: the chain head row is missing",
            )
        if head.last_seq > self.last_seq:
            first_missing = self.last_seq + 1
            return Broken(
                seq=first_missing, id=None, verb=None,
                problem=f"head mismatch: the chain head says the log ends at #{head.last_seq}, the table ends at "
                f"#{self.last_seq} ({_span(first_missing, head.last_seq)} deleted)",
            )
        if head.last_seq < self.last_seq:
            extra = Event.objects.get(seq=head.last_seq + 1)
            return Broken(
                seq=extra.seq, id=extra.pk, verb=extra.verb,
                problem=f"inserted out of order: the chain head says the log ends at #{head.last_seq}",
            )
        if head.last_hash != self.last_hash:
            return Broken(
                seq=self.last.seq, id=self.last.pk, verb=self.last.verb,
                problem=f"head mismatch: the chain head records hash {head.last_hash[:16]}… for this event",
            )
        return None


def verify(*, key: str | bytes | None = None) -> VerifyResult:
    """Walk the chain in seq order and report the first broken event, if any.

    Runs without locking writers out: the head is read after the walk, and whatever was
    committed under it in the meantime is walked too before the two are compared.
    """
    walk = _ChainWalk(_secret(key))
    broken = walk.through(Event.objects.all())
    if broken is None:
        head = ChainHead.objects.filter(pk=1).first()
        if head is not None and head.last_seq > walk.last_seq:
            broken = walk.through(Event.objects.filter(seq__gt=walk.last_seq, seq__lte=head.last_seq))
        broken = broken or walk.against_head(head)
    return VerifyResult(ok=broken is None, events=walk.count, head=walk.last_hash, first_broken=broken)
