"""Outage notices to affected customers (CONTRACTS §3).

Exactly once per customer per outage event: a `Notice` row keyed (outage, customer, event)
records who was told what, and `core.outbox.enqueue_many` gets the idempotency key
outage:{pk}:{event}:{customer pk} — both in the transaction of the change. A crash before
commit leaves neither; a retry after commit finds them and adds none; the outbox's worker
delivers each row once even when it is killed mid-send.
"""
from __future__ import annotations

from django.utils import timezone

from core import outbox
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


NOTICE_BATCH = 2000


def notify(*, outage: Outage, kind: str, event: str, still_off_only: bool = False,
           only: list[int] | None = None) -> int:
    """One notice per affected customer for this outage event; returns how many are new.
    Written a batch of customers at a time (bulk inserts), so the query count does not grow
    with the number of customers but with the number of batches."""
    text = text_for(outage, kind)
    already = set(Notice.objects.filter(outage=outage, event=event).values_list("customer_id", flat=True))
    new = 0
    batch: list[Notice] = []
    to_tell: list[outbox.Recipient] = []
    for customer in recipients(outage, still_off_only=still_off_only, only=only).iterator(chunk_size=NOTICE_BATCH):
        if customer.pk in already:
            continue
        contact = None
        if customer.user_id is None:
            phone = customer.contact_phone  # decrypted on each read: once is enough
            if not (phone or customer.contact_email):
                continue  # nobody to tell; planned outages are also on the public list
            contact = {"name": customer.contact_name or customer.name, "phone": phone,
                       "email": customer.contact_email}
        batch.append(Notice(outage=outage, customer=customer, event=event, kind=kind, text=text))
        to_tell.append(outbox.Recipient(key=f"outage:{outage.pk}:{event}:{customer.pk}", user=customer.user,
                                        contact=contact))
        if len(batch) == NOTICE_BATCH:
            new += _write(outage=outage, kind=kind, text=text, notices=batch, to_tell=to_tell)
            batch, to_tell = [], []
    return new + _write(outage=outage, kind=kind, text=text, notices=batch, to_tell=to_tell)


def _write(*, outage: Outage, kind: str, text: str, notices: list[Notice], to_tell: list) -> int:
    if notices:
        Notice.objects.bulk_create(notices, batch_size=outbox.BULK_BATCH)
        outbox.enqueue_many(kind=kind, text=text, recipients=to_tell, subject=outage)
    return len(notices)
