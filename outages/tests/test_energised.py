"""An energised application becomes a customer on the feeder its chosen scheme connects to,
through the applications' energised hook registry (applications never imports outages)."""
from decimal import Decimal
from pathlib import Path

from applications import hooks
from applications.actions import SchemeInput, scheme_choose, scheme_propose
from applications.models import Application
from applications.tests.conftest import at, enterprise, policies, zz  # noqa: F401  (fixtures)
from outages import actions, network
from outages.models import Customer


def test_the_chosen_scheme_connection_becomes_a_customer(zz, client, tmp_path: Path, time_machine):
    time_machine.move_to(at(2026, 9, 28, 10), tick=False)
    path = tmp_path / "tez.csv"
    path.write_text("type,code,name,parent,county,area\nsubstation,S9,台儿庄站,,370405,\n"
                    "feeder,F9,古城10kV线,S9,370405,urban\n", encoding="utf-8")
    network.network_import(path=path)
    client.force_login(zz.applicant)
    created = client.post("/api/v1/applications/", {**enterprise(county=zz.county.code), "contact_phone": "13912345678"},
                          content_type="application/json").json()
    application = Application.objects.get(pk=created["id"])
    client.force_login(zz.account_manager)
    client.post(f"/api/v1/applications/{application.pk}/accept", {}, content_type="application/json")
    application.refresh_from_db()
    scheme_propose(application=application, by=zz.designer, schemes=[SchemeInput(
        label="方案一", connection_point="古城10kV线12号杆", boundary="connection_point", customer_cost=Decimal("0"),
        utility_cost=Decimal("0"))])
    scheme = scheme_choose(application=application, by=zz.applicant, label="方案一")
    actions.scheme_connect(scheme=scheme, by=zz.designer, feeder="F9")
    assert "outages" in hooks.ENERGISED_HOOKS
    results = hooks.energised(application)
    customer = Customer.objects.get(application=application)
    assert results["outages"] == customer
    assert customer.kind == "mv" and customer.feeder.code == "F9" and customer.user == zz.applicant
    # The application's phone moves over still encrypted, and reads back the same.
    assert customer.contact_phone_enc == application.contact_phone_enc and "13912345678" not in customer.contact_phone_enc
    assert customer.contact_phone == "13912345678"
    assert hooks.energised(application)["outages"] is None  # once only
