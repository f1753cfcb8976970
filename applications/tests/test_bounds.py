"""Issue 9 item 1, each measured case: unbounded numbers and text were stored (SQLite REAL/inf,
breaking every list of the jurisdiction) or answered 500 (PostgreSQL). Now each answers 422
naming the field, or 413 for an oversized body, stores nothing, and the lists keep working.
CI runs this file on SQLite and on PostgreSQL."""
import json
from decimal import Decimal

import pytest
from django.test import Client

from applications import actions
from applications.models import Application, Fee
from applications.tests.conftest import at, enterprise, person
from applications.tests.test_flows import as_user, post
from core.errors import InvalidInput

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"


def refused(response, field):
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    return error


def lists_still_work(client):
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("field, value", [
    ("capacity_kva", "1e12"),
    ("capacity_kva", "99999999999"),
    ("capacity_kva", "0"),
    ("capacity_kva", "8.25"),  # kVA to one decimal place
    ("voltage_kv", "1e999999"),
    ("voltage_kv", "1e-30"),
    ("voltage_kv", "0.1"),
    ("voltage_kv", "1001"),
    ("voltage_kv", "NaN"),
    ("voltage_kv", "Infinity"),
])
def test_out_of_range_numbers_are_refused_naming_the_field(zz, travel, field, value):
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    refused(post(client, URL, person(county=zz.county.code, **{field: value})), field)
    assert Application.objects.count() == 0
    lists_still_work(client)


def test_a_json_number_too_large_for_a_float_is_refused(zz, travel):
    """1e999999 as a bare JSON number parses to inf before any schema sees it."""
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    body = json.dumps(person(county=zz.county.code, voltage_kv="VOLTAGE")).replace('"VOLTAGE"', "1e999999")
    response = client.post(URL, body, content_type="application/json")
    refused(response, "voltage_kv")
    assert Application.objects.count() == 0


def test_the_edges_of_the_ranges_are_accepted(zz, travel):
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    low = post(client, URL, person(county=zz.county.code, voltage_kv="0.22", capacity_kva="0.1"))
    assert low.status_code == 201, low.content
    high = post(client, URL, enterprise(county=zz.county.code, voltage_kv="1000", capacity_kva="1000000",
                                        site_address="台儿庄区运河大道1号"))
    assert high.status_code == 201, high.content
    assert Decimal(high.json()["capacity_kva"]) == Decimal("1000000")
    lists_still_work(client)


@pytest.mark.parametrize("field, value", [
    ("applicant_name", "王" * 300),
    ("site_address", "A" * (1024 * 1024)),  # 1 MB of address, below the 2.5 MB body limit
    ("applicant_name", "王\x00芳"),
    ("site_address", "古城路\x008号"),
    ("contact_phone", "1" * 21),
])
def test_overlong_text_and_nul_are_refused_naming_the_field(zz, travel, field, value):
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    refused(post(client, URL, person(county=zz.county.code, **{field: value})), field)
    assert Application.objects.count() == 0
    lists_still_work(client)


def test_the_action_itself_refuses_what_the_schema_would(zz, travel):
    """The CLI and the pages call the action directly: the bounds hold there too."""
    travel(at(2026, 11, 23))
    for field, value in [("capacity_kva", "1e12"), ("voltage_kv", "1e-30"), ("applicant_name", "王\x00芳"),
                         ("site_address", "路" * 256)]:
        body = person(county=zz.county.code, **{field: value})
        with pytest.raises(InvalidInput) as refusal:
            actions.application_create(by=zz.applicant, data=actions.ApplicationInput(**body))
        assert field in refusal.value.fields
    assert Application.objects.count() == 0


def test_a_body_over_the_limit_answers_413_in_the_error_shape(zz, travel):
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    response = post(client, URL, person(county=zz.county.code, site_address="路" * (1024 * 1024)) | {
        "padding": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413, response.content[:200]
    assert response.json()["error"]["code"] == "too_large"
    assert Application.objects.count() == 0


def test_a_declared_length_over_the_cap_is_refused_before_the_body_is_read(zz, settings):
    settings.GETPOWER_MAX_REQUEST_BYTES = 1024
    client = Client()
    client.force_login(zz.applicant)
    api = client.post(URL, {"padding": "x" * 2048}, content_type="application/json")
    assert api.status_code == 413
    assert api.json()["error"]["fields"] == {"request": "at most 0 MB"}
    page = client.post("/me/apply/", {"padding": "x" * 2048})
    assert page.status_code == 413
    assert "请求内容超过" in page.content.decode()


@pytest.fixture
def accepted(zz, travel):
    travel(at(2026, 11, 23))
    client = as_user(zz.applicant)
    created = post(client, URL, enterprise(county=zz.county.code))
    assert created.status_code == 201, created.content
    application_id = created.json()["id"]
    staff = as_user(zz.account_manager)
    assert post(staff, f"{URL}{application_id}/accept", {}).status_code == 200
    return application_id, staff


@pytest.mark.parametrize("amount", ["1e20", "100000000000", "0", "-1", "0.001", "1e-30"])
def test_a_fee_out_of_range_is_refused_and_the_application_still_reads(accepted, amount):
    application_id, staff = accepted
    response = post(staff, f"{URL}{application_id}/fees", {"item": "高可靠性供电费", "amount": amount,
                                                           "basis": "鲁价格一发〔2017〕36号"})
    refused(response, "amount")
    assert Fee.objects.count() == 0
    assert staff.get(f"{URL}{application_id}").status_code == 200
    lists_still_work(staff)


def test_a_fee_at_the_top_of_the_range_is_stored_exactly(accepted):
    application_id, staff = accepted
    response = post(staff, f"{URL}{application_id}/fees", {"item": "高可靠性供电费", "amount": "9999999999.99",
                                                           "basis": "鲁价格一发〔2017〕36号"})
    assert response.status_code == 200, response.content
    assert Fee.objects.get().amount == Decimal("9999999999.99")


def test_scheme_costs_and_text_are_bounded(accepted):
    application_id, staff = accepted
    scheme = {"label": "方案一", "connection_point": "10kV古城线12号杆", "boundary": "property_line",
              "customer_cost": "1e20", "utility_cost": "0"}
    refused(post(staff, f"{URL}{application_id}/schemes", {"schemes": [scheme]}), "schemes.0.customer_cost")
    long_label = {**scheme, "customer_cost": "0", "label": "方" * 33}
    refused(post(staff, f"{URL}{application_id}/schemes", {"schemes": [long_label]}), "schemes.0.label")
    many = [{**scheme, "customer_cost": "0", "label": f"方案{i}"} for i in range(actions.MAX_SCHEMES + 1)]
    refused(post(staff, f"{URL}{application_id}/schemes", {"schemes": many}), "schemes")


def test_notes_are_bounded_on_stage_actions(accepted):
    application_id, staff = accepted
    refused(post(staff, f"{URL}{application_id}/reject", {"reason": "x" * 1001}), "reason")
    refused(post(staff, f"{URL}{application_id}/stages/scheme_reply/pause",
                 {"reason": "awaiting_documents", "note": "\x00"}), "note")


@pytest.mark.parametrize("value", ["20261001", "2026-W40", "1700000000", "9999-12-31", "2026-02-30"])
def test_dates_are_strictly_yyyy_mm_dd_in_range(accepted, value):
    application_id, staff = accepted
    response = post(staff, f"{URL}{application_id}/projects",
                    {"kind": "supporting_works", "name": "10kV古城线配套工程", "planned_end": value})
    refused(response, "planned_end")
    listed = staff.get(URL, {"submitted_from": value})
    assert listed.status_code == 422
