"""Where messages go: one plain registry of channels for the outbox and for one-time codes.

Every channel takes a destination (phone, e-mail address, URL, or nothing for in-app), the
text, and the idempotency key of the message. A channel that talks to a remote system passes
the key on, so the remote end can drop a repeat: that is what makes a retry after a crash
(sent, but the worker died before marking it) reach the person once (see core.outbox).

Settings (environment variables in getpower/settings.py):
    GETPOWER_NOTIFY_CHANNEL       the external channel for people: console (default), sms or email
    GETPOWER_SMS_URL, GETPOWER_SMS_KEY, GETPOWER_SMS_TIMEOUT     the HTTP SMS gateway
    GETPOWER_WEBHOOK_SECRET, GETPOWER_WEBHOOK_TIMEOUT            signed POSTs to system endpoints
    e-mail uses Django's EMAIL_* settings and DEFAULT_FROM_EMAIL.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger("getpower.channels")


class DeliveryError(Exception):
    """The channel could not hand the message over; the outbox retries later."""


@dataclass(frozen=True)
class Delivery:
    destination: str  # phone, e-mail address, URL; "" for in-app
    text: str
    key: str  # the idempotency key of this message on this channel
    subject: str = ""  # e-mail subject line / webhook event name
    secret: bool = False  # carries a one-time code: never written to a log outside DEBUG


class InAppChannel:
    """The message row itself is the in-app message: storing it in the same transaction as the
    change is the delivery, so there is nothing to send."""

    label = "站内消息"
    address = None  # needs no address

    def send(self, delivery: Delivery) -> None:
        return None


class ConsoleChannel:
    """For development: writes the message to the log. Keeps the last few in memory so tests
    and local demos can read them back (bounded, so a long-running server does not grow)."""

    label = "控制台（开发）"
    address = None

    def __init__(self) -> None:
        self.sent: deque[tuple[str, str]] = deque(maxlen=200)

    def send(self, delivery: Delivery) -> None:
        self.sent.append((delivery.destination, delivery.text))
        if delivery.secret and not settings.DEBUG:
            # A code in a production log is a code anyone with log access can use.
            logger.info("message %s to %s: one-time code withheld (DEBUG is off)", delivery.key,
                        _masked(delivery.destination))
        else:
            logger.info("message %s to %s: %s", delivery.key, delivery.destination or "-", delivery.text)


class SmsGatewayChannel:
    """An SMS gateway over HTTP: POST JSON {"to", "text", "id"} with `Authorization: Bearer
    <key>` and `Idempotency-Key: <id>`. Gateways (and the test gateway) answer a repeated id
    without sending a second SMS; a 2xx means accepted."""

    label = "短信"
    address = "phone"

    def send(self, delivery: Delivery) -> None:
        url = settings.SMS_GATEWAY_URL
        if not url:
            raise DeliveryError("GETPOWER_SMS_URL is not set")
        if not delivery.destination:
            raise DeliveryError("no phone number")
        body = json.dumps({"to": delivery.destination, "text": delivery.text, "id": delivery.key},
                          ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": delivery.key}
        if settings.SMS_GATEWAY_KEY:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_KEY}"
        _post(url, body, headers, timeout=settings.SMS_GATEWAY_TIMEOUT)


class EmailChannel:
    """E-mail through Django's configured backend (SMTP in production). The key goes in the
    Message-ID header, which mail systems use to drop duplicates."""

    label = "电子邮件"
    address = "email"

    def send(self, delivery: Delivery) -> None:
        if not delivery.destination:
            raise DeliveryError("no e-mail address")
        domain = settings.EMAIL_MESSAGE_ID_DOMAIN
        message = EmailMessage(
            subject=delivery.subject or "getpower 获得电力 消息通知", body=delivery.text,
            to=[delivery.destination],
            headers={"Message-ID": f"<{hashlib.sha256(delivery.key.encode()).hexdigest()[:32]}@{domain}>"},
        )
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # SMTP and socket errors alike: the outbox retries
            raise DeliveryError(f"e-mail not accepted: {exc}") from exc


class WebhookChannel:
    """A signed HTTP POST to a system endpoint (a regulator's or partner's system). The body is
    JSON {"id", "event", "text"}; `X-Getpower-Signature: sha256=<HMAC of the body>` lets the
    receiver check it came from us, `Idempotency-Key` lets it drop repeats."""

    label = "系统接口（Webhook）"
    address = "url"

    def send(self, delivery: Delivery) -> None:
        if not delivery.destination.startswith(("http://", "https://")):
            raise DeliveryError("no endpoint URL")
        body = json.dumps({"id": delivery.key, "event": delivery.subject, "text": delivery.text},
                          ensure_ascii=False).encode("utf-8")
        signature = hmac.new(settings.WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": delivery.key,
                   "X-Getpower-Signature": f"sha256={signature}"}
        _post(delivery.destination, body, headers, timeout=settings.WEBHOOK_TIMEOUT)


def _post(url: str, body: bytes, headers: dict, *, timeout: float) -> None:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            response.read(4096)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code} from {url}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"{url} unreachable: {exc}") from exc


def _masked(destination: str) -> str:
    if len(destination) <= 7:
        return "*" * len(destination)
    return destination[:3] + "*" * (len(destination) - 7) + destination[-4:]


CHANNELS = {
    "inapp": InAppChannel(),
    "console": ConsoleChannel(),
    "sms": SmsGatewayChannel(),
    "email": EmailChannel(),
    "webhook": WebhookChannel(),
}


def label(code: str) -> str:
    channel = CHANNELS.get(code)
    return channel.label if channel else code


def people_channel() -> str:
    """The external channel messages to people take besides in-app (console in development)."""
    return settings.NOTIFY_CHANNEL


def address_for(channel: str, *, phone: str = "", email: str = "", user: bool = False, url: str = "") -> str | None:
    """The destination a person has for this channel; None when they have none (skip it).
    The console needs no address for a user, but a contact with none is nobody to write to."""
    need = CHANNELS[channel].address
    if need is None:
        return phone or email or ("" if user else None)
    if need == "phone":
        return phone or None
    if need == "email":
        return email or None
    if need == "url":
        return url or None  # a system endpoint (webhook), given as contact {"url": ...}
    return None
