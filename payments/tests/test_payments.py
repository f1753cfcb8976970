"""Paying a fee online: once, with a receipt and an electronic invoice record, only by the applicant."""
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from applications.tests.conftest import county_team
from core import events
from core.errors import Conflict, Forbidden
from core.models import Event
from payments import actions
from payments.models import Invoice, Payment, Receipt

pytestmark = pytest.mark.django_db


def test_paying_a_fee_issues_one_receipt_and_one_invoice(fee, zz, settings):
    settings.INVOICE_TAX_RATE = "0.13"
    payment, created = actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key="k-1")
    assert created and payment.state == Payment.State.SUCCEEDED
    assert payment.provider == "local" and payment.provider_ref.startswith("LOCAL-")
    invoice = payment.invoice
    assert invoice.buyer_name == fee.application.applicant_name
    assert invoice.buyer_tax_id == fee.application.uscc
    assert invoice.amount == Decimal("11300.00")
    # 11300 tax-inclusive at 13 %: 10000.00 + 1300.00.
    assert (invoice.amount_excl_tax, invoice.tax_amount, invoice.tax_rate) == (
        Decimal("10000.00"), Decimal("1300.00"), Decimal("0.13"))
    assert len(invoice.number) == 20 and invoice.number.isdigit()
    assert payment.receipt.number.startswith("SK")

    again, created_again = actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key="k-1")
    assert (again.pk, created_again) == (payment.pk, False)
    # A second click from a fresh form (new key) still cannot pay the fee twice.
    other_key, created_other = actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key="k-2")
    assert (other_key.pk, created_other) == (payment.pk, False)
    assert (Payment.objects.count(), Receipt.objects.count(), Invoice.objects.count()) == (1, 1, 1)
    assert Event.objects.filter(verb="payment.succeeded").count() == 1
    assert events.verify().ok


def test_the_database_refuses_a_second_live_payment_of_a_fee(fee, zz):
    actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key="k-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(fee=fee, application=fee.application, payer=zz.applicant, amount=fee.amount,
                               provider="local", idempotency_key="k-raw", created_at=timezone.now())


def test_a_key_reused_for_another_fee_is_refused(fee, zz):
    from applications import actions as applications

    second = applications.fee_add(application=fee.application, by=zz.account_manager, item="延伸服务费",
                                  amount="500")
    actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key="same")
    with pytest.raises(Conflict):
        actions.fee_pay(fee=second, by=zz.applicant, idempotency_key="same")


def test_only_the_applicant_pays(fee, zz):
    with pytest.raises(Forbidden):
        actions.fee_pay(fee=fee, by=zz.account_manager, idempotency_key="k")
    other = county_team(region="zhejiang", province_code="330000", province="浙江省", city_code="330100",
                        city="杭州市", city_group="hangzhou_ningbo", county_code="330106", county="西湖区", slug="xh")
    with pytest.raises(Forbidden):
        actions.fee_pay(fee=fee, by=other.applicant, idempotency_key="k")


def test_pay_through_the_pages_and_download_the_invoice(fee, zz):
    app_id = fee.application_id
    applicant = Client()
    applicant.force_login(zz.applicant)
    page = applicant.get(f"/pay/{app_id}/")
    assert page.status_code == 200 and "高可靠性供电费" in page.content.decode()
    response = applicant.post(f"/pay/{app_id}/fees/{fee.pk}/pay", {"idempotency_key": "form-1", "provider": "local"})
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert response["Location"] == f"/pay/{app_id}/payments/{payment.pk}/"
    # The form resubmitted (back button): no second payment, same receipt.
    repeat = applicant.post(f"/pay/{app_id}/fees/{fee.pk}/pay", {"idempotency_key": "form-1", "provider": "local"})
    assert repeat["Location"] == response["Location"] and Payment.objects.count() == 1
    detail = applicant.get(response["Location"]).content.decode()
    assert payment.invoice.number in detail and payment.receipt.number in detail
    pdf = applicant.get(f"/pay/{app_id}/payments/{payment.pk}/invoice.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "电子发票" in text and payment.invoice.number in text and fee.application.applicant_name in text
    assert applicant.get(f"/pay/{app_id}/payments/{payment.pk}/other.pdf").status_code == 404

    staff = Client()
    staff.force_login(zz.supervisor)
    assert staff.get(response["Location"]).status_code == 200


def test_another_applicant_gets_404(fee, zz):
    other = county_team(region="zhejiang", province_code="330000", province="浙江省", city_code="330100",
                        city="杭州市", city_group="hangzhou_ningbo", county_code="330106", county="西湖区", slug="xh")
    payment, _ = actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key="k-1")
    client = Client()
    client.force_login(other.applicant)
    app_id = fee.application_id
    assert client.get(f"/pay/{app_id}/").status_code == 404
    assert client.post(f"/pay/{app_id}/fees/{fee.pk}/pay", {"idempotency_key": "x"}).status_code == 404
    assert client.get(f"/pay/{app_id}/payments/{payment.pk}/").status_code == 404
    assert client.get(f"/pay/{app_id}/payments/{payment.pk}/invoice.pdf").status_code == 404


def test_a_missing_key_is_named(fee, zz):
    client = Client()
    client.force_login(zz.applicant)
    response = client.post(f"/pay/{fee.application_id}/fees/{fee.pk}/pay", {"idempotency_key": ""})
    assert response.status_code == 422 and "idempotency_key" in response.content.decode()
    assert not Payment.objects.exists()


class DecliningGateway:
    """A gateway that declines (an external system's answer, not one of our parts)."""

    name = "declining gateway"

    def charge(self, *, amount, description, idempotency_key):
        from payments.providers import Charge

        return Charge(False, "", "insufficient funds")


def test_a_declined_payment_issues_nothing_and_leaves_the_fee_payable(fee, zz, monkeypatch):
    from payments import providers

    monkeypatch.setitem(providers.PROVIDERS, "declining", DecliningGateway())
    declined, _ = actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key="try-1", provider="declining")
    assert declined.state == Payment.State.FAILED and declined.failure == "insufficient funds"
    assert not Receipt.objects.exists() and not Invoice.objects.exists()
    paid, created = actions.fee_pay(fee=fee, by=zz.applicant, idempotency_key="try-2")
    assert created and paid.state == Payment.State.SUCCEEDED and paid.pk != declined.pk
    assert Event.objects.filter(verb="payment.failed").count() == 1
