"""`getpower approvals route ... --json` and POST /api/v1/approvals/route: one contract."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db
CONTRACT_KEYS = {"routes", "exempt", "departments", "limits", "due", "rule", "source"}


def _cli(*args) -> dict:
    out = io.StringIO()
    call_command("approvals", "route", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_zhejiang_10kv_cli_and_api_agree(client, loaded):
    data = _cli("--region", "zhejiang", "--on", "2022-09-23", "--voltage-kv", "10", "--kw", "800",
                "--length-m", "1500", "--crossing", "city_road", "green_space")
    assert set(data) >= CONTRACT_KEYS
    assert data["routes"] == ["parallel"] and data["exempt"] is False
    assert data["departments"] == ["natural_resources", "housing_construction", "greening", "traffic_police"]
    assert {(x["value"], x["unit"]) for x in data["limits"]} == {(10, "workday"), (7, "day")}
    assert all(set(x) >= {"value", "unit", "source"} for x in data["limits"])
    assert data["due"] == "2022-09-30" and data["rule"] == "approvals.limits.hv_10_20kv"
    response = client.post(
        "/api/v1/approvals/route",
        {"region": "zhejiang", "on": "2022-09-23", "voltage_kv": 10, "kw": 800, "length_m": 1500,
         "crossings": ["city_road", "green_space"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == data


def test_zaozhuang_exempt_from_the_command_line(loaded):
    data = _cli("--region", "zaozhuang", "--on", "2021-01-01", "--voltage-kv", "0.38", "--kw", "160",
                "--length-m", "200", "--sanling")
    assert data["exempt"] is True and data["routes"] == ["exempt"] and data["due"] is None
    before = _cli("--region", "zaozhuang", "--on", "2020-12-31", "--voltage-kv", "0.38", "--kw", "160",
                  "--length-m", "200", "--sanling")
    assert before["exempt"] is False


def test_submitted_moves_the_due_date(loaded):
    data = _cli("--region", "shaanxi", "--on", "2022-06-01", "--voltage-kv", "10", "--kw", "800",
                "--length-m", "900", "--submitted", "2022-09-29")
    assert data["due"] == "2022-10-18"  # 10 working days across 国庆 and its 调休 weekend


@pytest.mark.parametrize(
    "args,argument",
    [
        (["--kw", "-5"], "--kw"),
        (["--kw", "99999999"], "--kw"),
        (["--length-m", "-1"], "--length-m"),
        (["--crossing", "motorway"], "--crossing"),
        (["--region", "atlantis"], "--region"),
        (["--on", "2019-01-01"], "--on"),
        (["--voltage-kv", "3"], "--voltage-kv"),
    ],
)
def test_bad_input_exits_2_naming_the_argument(loaded, args, argument):
    base = {"--region": "zaozhuang", "--on": "2021-08-01", "--voltage-kv": "0.38", "--kw": "10", "--length-m": "10"}
    flat = []
    for key, value in base.items():
        if key not in args:
            flat += [key, value]
    with pytest.raises(CommandError) as caught:
        call_command("approvals", "route", *flat, *args, "--json", stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(argument)


def test_plain_output_is_chinese(loaded):
    out = io.StringIO()
    call_command("approvals", "route", "--region", "zaozhuang", "--on", "2021-08-01", "--voltage-kv", "0.38",
                 "--kw", "100", "--length-m", "100", "--sanling", "--crossing", "green_space", stdout=out)
    text = out.getvalue()
    assert "告知承诺" in text and "林业和绿化部门" in text and "green_space" not in text.split("依据")[0]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"kw": -1}, "kw"),
        ({"length_m": 10**9}, "length_m"),
        ({"crossings": ["motorway"]}, "crossing"),
        ({"region": "atlantis"}, "region"),
        ({"on": "2021-13-01"}, "on"),
    ],
)
def test_api_errors_name_the_field(client, loaded, body, field):
    payload = {"region": "zaozhuang", "on": "2021-08-01", "voltage_kv": 0.38, "kw": 10, "length_m": 10} | body
    response = client.post("/api/v1/approvals/route", payload, content_type="application/json")
    assert response.status_code in (404, 422), response.content
    error = response.json()["error"]
    assert field in error["fields"], error
