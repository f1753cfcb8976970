"""GET /api/v1/policies/ and /api/v1/policies/{region}: the CLI's JSON, the one error shape."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _error(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


def test_list(client, loaded, policies):
    response = client.get("/api/v1/policies/")
    assert response.status_code == 200
    rows = response.json()
    assert {r["region"] for r in rows} == set(policies.regions())
    assert all(set(r) == {"region", "name", "parent", "in_force", "versions"} for r in rows)


def test_show_is_exactly_the_cli_json(client, loaded):
    response = client.get("/api/v1/policies/zhejiang", {"on": "2022-06-01"})
    assert response.status_code == 200
    out = io.StringIO()
    call_command("policy", "show", "zhejiang", "--on", "2022-06-01", "--json", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["version"] == "2022"


def test_show_without_a_date_gives_the_version_in_force_today(client, loaded, policies):
    from django.utils import timezone

    response = client.get("/api/v1/policies/shaanxi")
    assert response.status_code == 200
    assert response.json()["version"] == policies.in_force("shaanxi", timezone.localdate()).version


def test_unknown_region_is_404(client, loaded):
    error = _error(client.get("/api/v1/policies/atlantis"), 404)
    assert error["code"] == "not_found" and "region" in error["fields"]


def test_a_date_before_the_first_version_is_404_naming_on(client, loaded):
    error = _error(client.get("/api/v1/policies/zhejiang", {"on": "2019-06-01"}), 404)
    assert "on" in error["fields"]


@pytest.mark.parametrize("bad", ["2022-13-01", "20220601", "yesterday", "2022-02-30"])
def test_a_malformed_date_is_422_naming_on(client, loaded, bad):
    error = _error(client.get("/api/v1/policies/zhejiang", {"on": bad}), 422)
    assert error["code"] == "invalid" and "on" in error["fields"]


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/policies/" in paths and "/api/v1/policies/{region}" in paths
