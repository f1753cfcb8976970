"""/api/v1/ledger: the contract list, a task with live values, idempotent reports, review, errors."""
import pytest

from ledger.models import Report


@pytest.fixture
def api(client, ledgers):
    client.force_login(ledgers.erin)
    return client


def test_list_is_the_cli_contract_and_filters_name_the_field(api):
    rows = api.get("/api/v1/ledger/shaanxi/tasks").json()
    assert [r["number"] for r in rows] == list(range(1, 61))
    assert {"number", "area", "task", "responsible", "deadline", "deadline_kind", "milestones", "status", "empty",
            "indicator"} <= set(rows[0])
    bad = api.get("/api/v1/ledger/shaanxi/tasks?unit=mayor")
    assert bad.status_code == 422 and "unit" in bad.json()["error"]["fields"]


def test_task_detail_has_live_values_none_until_a_source_exists(api):
    body = api.get("/api/v1/ledger/shaanxi/tasks/3").json()
    assert body["live"][0]["target"]["value"] == 20 and body["live"][0]["live"] is None
    assert api.get("/api/v1/ledger/shaanxi/tasks/99").json()["error"]["code"] == "not_found"


def test_reports_are_idempotent_and_reviewed(client, ledgers):
    client.force_login(ledgers.world.carol)
    first = client.post("/api/v1/ledger/shaanxi/tasks/30/reports", {"kind": "progress", "text": "接口联调中"},
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post("/api/v1/ledger/shaanxi/tasks/30/reports", {"kind": "progress", "text": "接口联调中"},
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"] and Report.objects.count() == 1
    bad = client.post("/api/v1/ledger/shaanxi/tasks/30/reports", {"kind": "rumour", "text": "x"},
                      content_type="application/json")
    assert bad.status_code == 422 and "kind" in bad.json()["error"]["fields"]
    client.force_login(ledgers.erin)
    reviewed = client.post(f"/api/v1/ledger/shaanxi/tasks/30/reports/{first.json()['id']}/review",
                           {"accept": False, "note": "请补充联调记录"}, content_type="application/json")
    assert reviewed.json()["review"] == "returned"
