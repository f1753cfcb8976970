"""Outage notices to affected customers (CONTRACTS §3).

Exactly once per customer per outage event: a `Notice` row keyed (outage, customer, event)
is written in the same transaction as the change, and handed to the outbox with the same
idempotency key outage:{pk}:{event}:{customer pk}. A worker that crashes before commit
leaves nothing; a retry after commit finds the rows and adds none.
"""
from __future__ import annotations

import importlib

from django.utils import timezone

from outages.models import Customer, Interruption, Notice, Outage

MAX_NOTICE_TEXT = 480


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "另行通知"


def text_for(outage: Outage, kind: str) -> str:
    place = outage.county.name
    if kind == "planned_outage":
        text = (f"【停电通知】因{outage.title}，{place}计划于{_when(outage.planned_start)}至{_when(outage.planned_end)}"
                f"停电，请提前做好准备。")
    elif kind == "fault_outage":
        text = f"【故障停电】{place}{outage.title}，抢修人员已出发，预计{_when(outage.estimated_restoration)}恢复供电。"
    elif kind == "outage_progress":
        text = f"【抢修进度】{outage.progress or '抢修中'}，预计{_when(outage.estimated_restoration)}恢复供电。"
    else:
        text = f"【恢复送电】{place}{outage.title}已恢复供电，感谢理解。"
    return text[:MAX_NOTICE_TEXT]


def recipients(outage: Outage, *, still_off_only: bool = False, only: list[int] | None = None):
    from outages import queries

    if only is not None:
        qs = Customer.objects.filter(pk__in=only)
    elif still_off_only:
        qs = Customer.objects.filter(pk__in=Interruption.objects.filter(outage=outage, end_s__isnull=True)
                                     .values("customer_id"))
    else:
        qs = queries.affected_customers(outage)
    return qs.select_related("user").order_by("pk")


def _outbox():
    # The outbox is the messages stream's (core/outbox.py); until it is on main the Notice rows
    # are the record and nothing is delivered.
    try:
        return importlib.import_module("core.outbox")
    except ModuleNotFoundError:
        return None


def notify(*, outage: Outage, kind: str, event: str, still_off_only: bool = False,
           only: list[int] | None = None) -> int:
    """One notice per affected customer for this outage event; returns how many are new."""
    text = text_for(outage, kind)
    already = set(Notice.objects.filter(outage=outage, event=event).values_list("customer_id", flat=True))
    outbox = _outbox()
    new = 0
    for customer in recipients(outage, still_off_only=still_off_only, only=only).iterator(chunk_size=2000):
        if customer.pk in already:
            continue
        Notice.objects.create(outage=outage, customer=customer, event=event, kind=kind, text=text)
        new += 1
        if outbox is None:
            continue
        contact = None
        if customer.user_id is None:
            contact = {"name": customer.contact_name or customer.name, "phone": customer.contact_phone,
                       "email": customer.contact_email}
        outbox.enqueue(kind=kind, text=text, key=f"outage:{outage.pk}:{event}:{customer.pk}", user=customer.user,
                       contact=contact, subject=outage)
    return new
