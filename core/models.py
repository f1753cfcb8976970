"""The event log: one append-only, hash-chained table that every app writes through
`core.events.record`, plus the single chain-head row that serialises writers.

Written for growth: on PostgreSQL the table can later be range-partitioned (by `seq` or
`at`), so it carries only the indexes reads need (unique `seq`, the subject timeline) and
`verify` walks it streaming, never loading it whole.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

# The chain starts from a fixed all-zero "previous hash" so the first event is chained too.
GENESIS_HASH = "0" * 64


class Event(models.Model):
    """Who did what to which object, when (server time), with before/after in `data`.

    Rows are never updated or deleted: database triggers (migration 0002) refuse it, and
    the SM3-HMAC chain makes any change that gets past them visible to `verify`.
    """

    seq = models.PositiveBigIntegerField(unique=True, help_text="1, 2, 3 … with no gaps; the chain order")
    at = models.DateTimeField(help_text="server time of recording; never taken from the client")
    # PROTECT: a user who acted can be deactivated but never deleted from under the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept beside the FK so the record still reads "who" after renames and for system actors.
    actor_label = models.CharField(max_length=150)
    verb = models.CharField(max_length=100, help_text='what happened, e.g. "stage.paused"')
    # A generic reference without a FK, so any app can log about any object (and rows outlive it).
    subject_type = models.CharField(max_length=100, blank=True, default="", help_text='"app_label.model"')
    subject_id = models.CharField(max_length=64, blank=True, default="")
    data = models.JSONField(default=dict, blank=True, help_text="before/after, reasons, claims")
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="a time the client asserted; stored as a claim, never as `at`"
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            # One object's timeline, already in chain order.
            models.Index(fields=["subject_type", "subject_id", "seq"], name="event_subject_timeline"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gte=1), name="event_seq_positive"),
            models.CheckConstraint(condition=~Q(verb=""), name="event_verb_present"),
            models.CheckConstraint(condition=~Q(actor_label=""), name="event_actor_label_present"),
            # A subject is both parts or neither: half a reference points at nothing.
            models.CheckConstraint(
                condition=Q(subject_type="", subject_id="") | (~Q(subject_type="") & ~Q(subject_id="")),
                name="event_subject_complete",
            ),
            models.CheckConstraint(condition=Exact(Length("hash"), 64), name="event_hash_hex64"),
            models.CheckConstraint(condition=Exact(Length("prev_hash"), 64), name="event_prev_hash_hex64"),
            models.CheckConstraint(condition=~Q(prev_hash=F("hash")), name="event_hash_differs_from_prev"),
        ]

    def __str__(self) -> str:
        subject = f" {self.subject_type}:{self.subject_id}" if self.subject_type else ""
        return f"#{self.seq} {self.verb}{subject} by {self.actor_label}"


class ChainHead(models.Model):
    """The one row saying where the chain ends. Writers lock it (PostgreSQL) or hold the
    SQLite write lock (BEGIN IMMEDIATE) while appending, so `seq` never forks or gaps; a
    table that ends before the head says it should shows that its tail was cut off."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # The last event's `at`: the next event is never stamped earlier, even if the server clock steps back.
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="chainhead_singleton"),
            models.CheckConstraint(
                condition=Q(last_seq=0, last_at__isnull=True) | Q(last_seq__gt=0, last_at__isnull=False),
                name="chainhead_at_with_events",
            ),
        ]

    def __str__(self) -> str:
        return f"head #{self.last_seq} {self.last_hash[:12]}"


class OutboxMessage(models.Model):
    """One message to one recipient on one channel, written in the same transaction as the
    change it tells about (core.outbox.enqueue) and delivered afterwards by the worker.

    `key` is the idempotency key per recipient-event and channel: a second enqueue of the same
    event is a no-op, and channels pass the key on so a retried send reaches the person once.
    An in-app row is delivered by being stored; it is what the message centre lists.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败（将重试）"
        DEAD = "dead", "发送失败（已停止重试）"

    key = models.CharField(max_length=200, unique=True)
    # The recipient is a user (in-app plus their channel) or a contact who is not one.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="messages")
    contact_name = models.CharField(max_length=128, blank=True, default="")
    # Phone or e-mail of a contact (or the user's, copied at enqueue): SM4-GCM ciphertext.
    destination_enc = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=16)
    text = models.TextField()
    subject_type = models.CharField(max_length=100, blank=True, default="")
    subject_id = models.CharField(max_length=64, blank=True, default="")
    link = models.CharField(max_length=255, blank=True, default="")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker's claim: nobody else sends the row until it runs out (a killed worker's claim does).
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's scan: what is due, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            # The message centre and the unread count.
            models.Index(fields=["user", "channel", "read_at"], name="outbox_inbox"),
            models.Index(fields=["subject_type", "subject_id"], name="outbox_subject"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(destination_enc=""),
                                   name="outbox_has_recipient"),
            models.CheckConstraint(condition=~Q(kind="") & ~Q(channel="") & ~Q(text=""),
                                   name="outbox_kind_channel_text"),
            models.CheckConstraint(condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                                   name="outbox_sent_has_time"),
            models.CheckConstraint(condition=Q(channel="inapp", user__isnull=False) | ~Q(channel="inapp"),
                                   name="outbox_inapp_needs_user"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user or self.contact_name} [{self.channel}, {self.status}]"

    @property
    def kind_label(self) -> str:
        from core.outbox import kind_label

        return kind_label(self.kind)


class OneTimeCode(models.Model):
    """A short code sent through a channel (core.otp). Only a keyed hash of the code is kept;
    the destination is kept as a keyed digest too, so the table lists no phone numbers."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", "注册验证"
        IDENTITY = "identity", "身份核验"
        CONTRACT = "contract", "电子签约"
        PASSWORD_RESET = "password_reset", "找回密码"
        LOGIN = "login", "验证码登录"

    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    destination_digest = models.CharField(max_length=64, help_text="keyed digest of the phone or e-mail")
    # What the code is bound to beyond its destination, e.g. "contract:12": a code for one
    # contract never signs another.
    scope = models.CharField(max_length=64, blank=True, default="")
    client_digest = models.CharField(max_length=64, blank=True, default="", help_text="keyed digest of the client address")
    channel = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True,
                                      help_text="superseded by a newer code, or its object closed")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["destination_digest", "purpose", "scope"], name="otp_lookup"),
            models.Index(fields=["client_digest", "created_at"], name="otp_client_rate"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="otp_expires_after_created"),
            # An object (a scope such as "contract:12") has at most one live code: a new one
            # revokes the old, so two codes never sign the same contract.
            models.UniqueConstraint(fields=["purpose", "scope"],
                                    condition=~Q(scope="") & Q(used_at__isnull=True, revoked_at__isnull=True),
                                    name="otp_one_live_code_per_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} code #{self.pk}"
