"""无感监测 push: indicator changes sent to registered regulator endpoints.

An admin registers an endpoint (`endpoint_register`); from then on every snapshot run that
stores a new value or corrects one enqueues, in the same transaction, one signed webhook per
endpoint through the outbox (`core.outbox`, channel "webhook": HMAC-SHA256 of the body in
`X-Getpower-Signature`, `Idempotency-Key`, retries with back-off until delivered or dead).

The webhook body is the outbox's `{"id", "event", "text"}`; `text` is a JSON document:
    {"region", "county", "period", "taken_at", "part", "parts",
     "changes": [{"code", "dimension", "value", "target", "unit", "direction", "status",
                  "before", "change": "new" | "corrected"}]}
A run with many changes is split into parts that each fit one message."""
from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import access
from accounts.models import User
from core import bounds, events, outbox
from core.errors import Conflict, invalid
from monitoring.models import RegulatorEndpoint, Snapshot

KIND = "indicators_changed"
URL_LENGTH = RegulatorEndpoint._meta.get_field("url").max_length
NAME_LENGTH = RegulatorEndpoint._meta.get_field("name").max_length


@dataclass(frozen=True)
class Change:
    snapshot: Snapshot
    before: float | None
    corrected: bool

    def as_dict(self) -> dict:
        s = self.snapshot
        return {"code": s.code, "dimension": s.dimension, "value": s.value, "target": s.target, "unit": s.unit,
                "direction": s.direction, "status": s.status, "before": self.before,
                "change": "corrected" if self.corrected else "new"}


def _check_url(url: str) -> str:
    url = bounds.check_text("url", (url or "").strip(), max_length=URL_LENGTH)
    if not url.startswith(("https://", "http://")):
        raise invalid("url", "以 https:// 开头的接收地址")
    return url


def endpoint_register(*, by: User, name: str, url: str, region: str = "") -> RegulatorEndpoint:
    """Register a regulator's receiving system (admins only)."""
    access.require(by, "monitoring.endpoints")
    name = bounds.check_text("name", (name or "").strip(), max_length=NAME_LENGTH)
    if not name:
        raise invalid("name", "请填写接收系统名称")
    url = _check_url(url)
    if region:
        from policies.queries import known_regions

        if region not in known_regions():
            raise invalid("region", f"未知地区 {region!r}")
    with transaction.atomic():
        if RegulatorEndpoint.objects.filter(url=url, region=region, active=True).exists():
            raise Conflict("该地址已登记", fields={"url": "该地址已登记"})
        endpoint = RegulatorEndpoint.objects.create(name=name, url=url, region=region, registered_by=by,
                                                    registered_at=timezone.now())
        events.record(actor=by, verb="endpoint.registered", subject=endpoint,
                      data={"name": name, "url": url, "region": region})
    return endpoint


def endpoint_retire(*, by: User, endpoint: RegulatorEndpoint) -> RegulatorEndpoint:
    """Stop pushing to an endpoint; messages already in the outbox are still delivered."""
    access.require(by, "monitoring.endpoints")
    with transaction.atomic():
        endpoint = RegulatorEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if not endpoint.active:
            return endpoint
        endpoint.active, endpoint.retired_at = False, timezone.now()
        endpoint.save(update_fields=["active", "retired_at"])
        events.record(actor=by, verb="endpoint.retired", subject=endpoint, data={"url": endpoint.url})
    return endpoint


def active_endpoints(region: str):
    return RegulatorEndpoint.objects.filter(Q(region=region) | Q(region=""), active=True).order_by("id")


def _parts(head: dict, changes: list[dict]) -> list[str]:
    """Split the changes into JSON texts that each fit one outbox message."""
    parts: list[list[dict]] = [[]]
    for change in changes:
        candidate = parts[-1] + [change]
        if parts[-1] and len(json.dumps({**head, "part": 999, "parts": 999, "changes": candidate},
                                        ensure_ascii=False)) > outbox.MAX_TEXT:
            parts.append([change])
        else:
            parts[-1] = candidate
    return [json.dumps({**head, "part": n, "parts": len(parts), "changes": chunk}, ensure_ascii=False)
            for n, chunk in enumerate(parts, start=1)]


def changes_enqueue(*, region: str, county_code: str, period: str, changes: list[Change]) -> int:
    """Inside the snapshot transaction: one webhook per endpoint and part. Returns messages written."""
    if not changes:
        return 0
    endpoints = list(active_endpoints(region))
    if not endpoints:
        return 0
    taken_at = changes[0].snapshot.taken_at
    head = {"region": region, "county": county_code, "period": period, "taken_at": taken_at.isoformat()}
    texts = _parts(head, [c.as_dict() for c in changes])
    # The first snapshot id of the run names it: a rerun of the same transaction cannot repeat it.
    run = min(c.snapshot.pk for c in changes)
    written = 0
    for endpoint in endpoints:
        for n, text in enumerate(texts, start=1):
            outbox.enqueue(kind=KIND, channels=["webhook"], key=f"indicators:{endpoint.pk}:{run}:{n}", text=text,
                           contact={"name": endpoint.name, "url": endpoint.url})
            written += 1
    return written
