"""Outage notices in bulk: the same notices and messages as one notice and one `enqueue` per
customer (the slow reference below), at a query count that does not grow with the customers."""
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import actions as accounts
from accounts.roles import Role
from core import outbox, pii
from core.models import OutboxMessage
from outages import actions, notices
from outages.models import Customer, Notice
from outages.tests.conftest import at


def _outage(grid, scopes=(("feeder", "F1"), ("feeder", "F2"))):
    return actions.outage_plan(by=grid.dan, county=grid.county, title="雁塔变10kV母线检修", cause="maintenance",
                               planned_start=at(2026, 3, 20, 9), planned_end=at(2026, 3, 20, 13), scopes=scopes)


def _one_by_one(*, outage, kind, event):
    """notify as it was: a Notice and an enqueue per customer."""
    text = notices.text_for(outage, kind)
    for customer in notices.recipients(outage):
        contact = None
        if customer.user_id is None:
            if not (customer.contact_phone or customer.contact_email):
                continue
            contact = {"name": customer.contact_name or customer.name, "phone": customer.contact_phone,
                       "email": customer.contact_email}
        Notice.objects.create(outage=outage, customer=customer, event=event, kind=kind, text=text)
        outbox.enqueue(kind=kind, text=text, key=f"outage:{outage.pk}:{event}:{customer.pk}", user=customer.user,
                       contact=contact, subject=outage)


def _told(outage):
    prefix = f"outage:{outage.pk}:"
    messages = sorted(
        (m.key.removeprefix(prefix), m.user_id, m.contact_name, m.kind, m.channel, m.text, m.subject_id == str(outage.pk),
         m.link, m.status, pii.decrypt(m.destination_enc, key=settings.PII_KEY) if m.destination_enc else "")
        for m in OutboxMessage.objects.filter(key__startswith=prefix))
    return sorted(Notice.objects.filter(outage=outage).values_list("customer__code", "event", "kind", "text")), messages


def test_bulk_notices_are_the_notices_and_messages_one_per_customer_gave(grid, travel, settings):
    travel(at(2026, 3, 2, 9))
    settings.NOTIFY_CHANNEL = "sms"  # C3 has only an e-mail: a notice, but no sms
    gone = accounts.user_create(username="gone", password=grid.world.password, role=Role.APPLICANT,
                                display_name="已注销用户")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    Customer.objects.filter(code="C4").update(user=gone)
    reference, bulk = _outage(grid), _outage(grid)
    _one_by_one(outage=reference, kind="planned_outage", event="planned")
    assert notices.notify(outage=bulk, kind="planned_outage", event="planned") == 5  # C6 has no contact
    assert _told(bulk) == _told(reference)
    notices_, messages = _told(bulk)
    assert [code for code, *_ in notices_] == ["C1", "C2", "C3", "C4", "C5"]
    c1 = grid.c("C1").pk
    assert {m[0] for m in messages} == {f"planned:{c1}", f"planned:{grid.c('C2').pk}",
                                        f"planned:{grid.c('C5').pk}"}  # C4's user is deactivated
    assert notices.notify(outage=bulk, kind="planned_outage", event="planned") == 0
    assert _told(bulk) == (notices_, messages)


def test_notifying_fifty_customers_costs_the_queries_of_five(grid, travel):
    travel(at(2026, 3, 2, 9))
    t1 = grid.c("C1").transformer
    Customer.objects.bulk_create(
        Customer(code=f"X{n:03d}", name=f"用户{n}", feeder=t1.feeder, transformer=t1, county=grid.county,
                 area="urban", contact_name=f"用户{n}", contact_email=f"x{n}@example.cn") for n in range(50))
    extra = list(Customer.objects.filter(code__startswith="X").order_by("code").values_list("pk", flat=True))

    def queries_for(only):
        outage = _outage(grid, scopes=(("transformer", "T1"),))
        with CaptureQueriesContext(connection) as run:
            assert notices.notify(outage=outage, kind="planned_outage", event="planned", only=only) == len(only)
        assert OutboxMessage.objects.filter(key__startswith=f"outage:{outage.pk}:").count() == len(only)
        return [q["sql"].split()[0] for q in run.captured_queries if "SAVEPOINT" not in q["sql"]]

    # The notices already there, the customers (a server-side cursor on PostgreSQL), the notices'
    # insert, the keys already there, the messages' insert: for 5 customers as for 50.
    five = queries_for(extra[:5])
    assert five == queries_for(extra) and five.count("INSERT") == 2 and len(five) <= 8
