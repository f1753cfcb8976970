"""Ten browser tabs pay the same fee at once, each with its own key: one payment, one invoice."""
import threading

import pytest
from django.db import connection, connections

from payments import actions
from payments.models import Invoice, Payment


@pytest.mark.django_db(transaction=True)
def test_parallel_payments_of_one_fee_give_one_payment(fee, zz):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    barrier = threading.Barrier(10)
    results, errors = [], []

    def pay(n):
        try:
            barrier.wait()
            results.append(actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key=f"tab-{n}"))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({payment.pk for payment, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Payment.objects.count() == Invoice.objects.count() == 1
