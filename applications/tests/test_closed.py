"""Issue 9 item 8: a closed application takes no more money, codes, bookings or work.

Withdrawal used to leave fees payable, signing codes live and the visit booked. Now closing
ends each of them with its own event, and every action refuses a closed file."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import actions
from applications.models import Fee
from applications.tests import samples
from applications.tests.conftest import at, enterprise
from applications.tests.test_flows import as_user, post
from appointments import actions as appointments
from appointments.models import Booking
from contracts import actions as contracts
from core import events
from core.errors import Conflict
from core.models import Event, OneTimeCode
from payments import actions as payments

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(zz, travel):
    """An accepted 10 kV application with a paid fee, an unpaid fee, a live signing code and a
    booked visit: everything a withdrawal must settle."""
    travel(at(2026, 9, 28, 9))
    slot = appointments.slot_publish(by=zz.account_manager, starts_at=at(2026, 9, 30, 9), ends_at=at(2026, 9, 30, 10))
    application, _ = actions.application_create(by=zz.applicant, data=actions.ApplicationInput(
        **enterprise(county=zz.county.code)))
    travel(at(2026, 9, 28, 15))
    application = actions.application_accept(application=application, by=zz.account_manager)
    paid = actions.fee_add(application=application, by=zz.account_manager, item="高可靠性供电费", amount="11300.00")
    payments.fee_pay(fee=paid, by=zz.applicant, idempotency_key="pay-1")
    unpaid = actions.fee_add(application=application, by=zz.account_manager, item="延伸服务费", amount="800.00")
    contract, _ = contracts.contract_generate(application=application, by=zz.applicant)
    contracts.contract_request_code(contract=contract, by=zz.applicant)
    booking = appointments.booking_create(application=application, slot=slot, by=zz.applicant)
    return application, paid, unpaid, contract, booking, slot


def test_withdrawal_cancels_the_unpaid_fee_the_booking_and_the_codes_with_events(zz, busy):
    application, paid, unpaid, contract, booking, _slot = busy
    actions.application_withdraw(application=application, by=zz.applicant, reason="项目取消")

    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert unpaid.cancelled_at is not None
    assert paid.cancelled_at is None  # money received stays on the record
    assert Booking.objects.get(pk=booking.pk).cancelled_at is not None
    assert OneTimeCode.objects.filter(scope=contract.code_scope, revoked_at__isnull=False).count() == 1
    assert not OneTimeCode.objects.filter(scope=contract.code_scope, revoked_at__isnull=True,
                                          used_at__isnull=True).exists()
    cancelled = Event.objects.filter(verb="fee.cancelled", subject_id=str(application.pk))
    assert [e.data["fee"] for e in cancelled] == [unpaid.pk]
    assert Event.objects.filter(verb="appointment.cancelled", subject_id=str(application.pk)).count() == 1
    assert Event.objects.filter(verb="contract.codes_revoked", subject_id=str(application.pk)).count() == 1
    assert events.verify().ok


def test_a_closed_application_refuses_every_action(zz, busy):
    application, _paid, unpaid, contract, _booking, slot = busy
    actions.application_reject(application=application, by=zz.account_manager, reason="用电地址不符合规划")
    refusals = {
        "fee_add": lambda: actions.fee_add(application=application, by=zz.account_manager, item="高可靠性供电费",
                                           amount="1.00"),
        "fee_pay": lambda: payments.fee_pay(fee=unpaid, by=zz.applicant, idempotency_key="pay-2"),
        "contract_request_code": lambda: contracts.contract_request_code(contract=contract, by=zz.applicant),
        "contract_sign": lambda: contracts.contract_sign(contract=contract, by=zz.applicant, code="123456"),
        "booking_create": lambda: appointments.booking_create(application=application, slot=slot, by=zz.applicant),
        "stage_complete": lambda: actions.stage_complete(application=application, code="scheme_reply",
                                                         by=zz.account_manager, result="答复"),
        "scheme_propose": lambda: actions.scheme_propose(application=application, by=zz.account_manager, schemes=[
            actions.SchemeInput(label="方案一", connection_point="10kV古城线", boundary="connection_point",
                                customer_cost="0", utility_cost="0")]),
        "project_open": lambda: actions.grid_project_open(application=application, by=zz.project_manager,
                                                          kind="supporting_works", name="配套工程"),
        "document_upload": lambda: actions.document_upload(
            application=application, by=zz.applicant, stage_code="acceptance", doc_type="property_certificate",
            upload=SimpleUploadedFile("licence.pdf", samples.PDF, content_type="application/pdf")),
    }
    reached = []
    for name, attempt in refusals.items():
        try:
            attempt()
        except Conflict as exc:
            assert exc.code == "closed", (name, exc.message)
        except Exception as exc:  # a refusal for another reason proves nothing about the state check
            reached.append((name, type(exc).__name__, str(exc)))
        else:
            reached.append((name, "accepted", ""))
    assert reached == [], reached
    assert Fee.objects.filter(application=application).count() == 2


def test_the_api_answers_a_closed_application_with_its_state(zz, busy):
    application, *_ = busy
    actions.application_withdraw(application=application, by=zz.applicant)
    response = post(as_user(zz.account_manager), f"/api/v1/applications/{application.pk}/fees",
                    {"item": "高可靠性供电费", "amount": "1.00"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "closed"
    assert response.json()["error"]["fields"] == {"status": "withdrawn"}
