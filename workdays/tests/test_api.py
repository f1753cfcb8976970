"""/api/v1/workdays/: the same answers as the CLI, and the one error shape."""
import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.usefixtures("official_calendar")


def cli_json(*args) -> dict:
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def assert_error(response, status: int, field: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert field in error["fields"], error
    assert error["message"].startswith(f"{field}: ") or f"{field}: " in error["message"]
    return error


@pytest.mark.parametrize(
    "query, cli_args",
    [
        ("start=2026-09-29&workdays=5", ["--start", "2026-09-29", "--workdays", "5"]),
        ("start=2026-09-29&days=5", ["--start", "2026-09-29", "--days", "5"]),
        ("start=2026-12-31&workdays=1", ["--start", "2026-12-31", "--workdays", "1"]),
    ],
)
def test_deadline_answers_exactly_what_the_cli_prints(client, query, cli_args):
    response = client.get(f"/api/v1/workdays/deadline?{query}")
    assert response.status_code == 200
    assert response.json() == cli_json("deadline", *cli_args)


def test_deadline_json_for_national_day_2026(client):
    data = client.get("/api/v1/workdays/deadline?start=2026-09-29&days=5").json()
    assert data["due"] == "2026-10-08"
    assert data["moved"] == {"from": "2026-10-04", "reason": "holiday:国庆节"}
    assert data["provisional"] is False


@pytest.mark.parametrize(
    "query, field",
    [
        ("start=2026-09-29", "workdays"),  # neither limit
        ("start=2026-09-29&workdays=1&days=1", "workdays"),  # both
        ("start=2026-09-29&days=-1", "days"),
        ("start=2026-09-29&workdays=five", "workdays"),
        ("start=2026-02-30&workdays=1", "start"),
        ("workdays=1", "start"),
        ("start=1999-01-01&workdays=1", "start"),
        ("start=2036-12-20&days=400", "days"),
        ("start=2036-12-20&workdays=99999999999999999999", "workdays"),
    ],
)
def test_deadline_refusals_are_422_naming_the_field(client, query, field):
    assert_error(client.get(f"/api/v1/workdays/deadline?{query}"), 422, field)


def test_count_and_its_refusals(client):
    response = client.get("/api/v1/workdays/count?from=2026-09-01&to=2026-10-31")
    assert response.json() == {"from": "2026-09-01", "to": "2026-10-31", "workdays": 39}
    assert_error(client.get("/api/v1/workdays/count?from=2026-09-01&to=2026-08-01"), 422, "to")
    assert_error(client.get("/api/v1/workdays/count?from=x&to=2026-08-01"), 422, "from")
    assert_error(client.get("/api/v1/workdays/count?from=2026-09-01"), 422, "to")


def test_calendar_year_matches_calendar_show(client):
    for year in (2020, 2027):
        response = client.get(f"/api/v1/workdays/calendar/{year}")
        assert response.status_code == 200
        out = StringIO()
        call_command("calendar_schedule", "show", str(year), "--json", stdout=out)
        assert response.json() == json.loads(out.getvalue())
    assert client.get("/api/v1/workdays/calendar/2027").json()["source"] == "provisional"


def test_calendar_year_outside_the_calendar_is_404_in_the_error_shape(client):
    error = assert_error(client.get("/api/v1/workdays/calendar/1990"), 404, "year")
    assert error["code"] == "not_found"
    assert_error(client.get("/api/v1/workdays/calendar/next"), 422, "year")


def test_the_schemas_are_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/workdays/deadline", "/api/v1/workdays/count", "/api/v1/workdays/calendar/{year}"):
        assert path in schema["paths"]
    deadline = schema["components"]["schemas"]["DeadlineOut"]
    assert set(deadline["properties"]) == {"start", "unit", "limit", "due", "provisional", "counted", "skipped", "moved"}
    assert "from" in schema["components"]["schemas"]["MoveOut"]["properties"]
