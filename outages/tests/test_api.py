"""The fault API an OMS/SCADA system calls with a token: create (retries safe), progress,
partial and full restoration; the public list needs no login; errors in the one shape."""
from accounts import actions as accounts
from outages.models import Interruption, Outage
from outages.tests.conftest import at


def _oms(grid):
    token = accounts.api_token_create(user=grid.dan, name="OMS")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_oms_reports_a_fault_retries_and_restores(grid, travel, client):
    travel(at(2026, 4, 1, 10))
    auth = _oms(grid)
    body = {"county": "610113", "cause": "weather", "scopes": [{"type": "feeder", "code": "F1"}],
            "source": "oms", "external_id": "OMS-2026-0401-7", "title": "科技路线跳闸"}
    first = client.post("/api/v1/outages/faults", body, content_type="application/json", **auth)
    again = client.post("/api/v1/outages/faults", body, content_type="application/json", **auth)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and first.json()["customers_affected"] == 3
    outage_id = first.json()["id"]
    travel(at(2026, 4, 1, 10, 30))
    progress = client.post(f"/api/v1/outages/{outage_id}/progress",
                           {"progress": "抢修人员已到达", "estimated_restoration": "2026-04-01T12:00:00+08:00"},
                           content_type="application/json", **auth)
    assert progress.status_code == 200 and progress.json()["progress"] == "抢修人员已到达"
    travel(at(2026, 4, 1, 11))
    partial = client.post(f"/api/v1/outages/{outage_id}/restore", {"scopes": [{"type": "transformer", "code": "T2"}]},
                          content_type="application/json", **auth)
    assert partial.json()["status"] == "active"
    done = client.post(f"/api/v1/outages/{outage_id}/restore", {}, content_type="application/json", **auth)
    assert done.json()["status"] == "ended"
    assert Interruption.objects.filter(outage_id=outage_id, end_s__isnull=True).count() == 0


def test_errors_name_the_field(grid, travel, client):
    travel(at(2026, 4, 1, 10))
    auth = _oms(grid)
    shortage = client.post("/api/v1/outages/faults", {"county": "610113", "cause": "supply_shortage",
                                                        "scopes": [{"type": "feeder", "code": "F2"}]},
                           content_type="application/json", **auth)
    assert shortage.status_code == 422 and "lawful_basis" in shortage.json()["error"]["fields"]
    unknown = client.post("/api/v1/outages/faults", {"county": "610113", "cause": "equipment",
                                                       "scopes": [{"type": "feeder", "code": "F404"}]},
                          content_type="application/json", **auth)
    assert unknown.json()["error"]["fields"] == {"scopes.0.code": "找不到编号为 F404 的线路"}
    elsewhere = client.post("/api/v1/outages/faults", {"county": "610116", "cause": "equipment",
                                                         "scopes": [{"type": "feeder", "code": "F1"}]},
                            content_type="application/json", **auth)
    assert "county" in elsewhere.json()["error"]["fields"]
    assert not Outage.objects.exists()


def test_plan_assessment_and_public_list(grid, travel, client):
    travel(at(2026, 3, 2, 9))
    client.force_login(grid.dan)
    plan = client.post("/api/v1/outages/plans", {
        "county": "610113", "title": "长安南路线检修", "planned_start": "2026-03-20T08:00:00+08:00",
        "planned_end": "2026-03-20T12:00:00+08:00", "scopes": [{"type": "feeder", "code": "F2"}]},
        content_type="application/json")
    assert plan.status_code == 201, plan.content
    outage_id = plan.json()["id"]
    assessment = client.get(f"/api/v1/outages/{outage_id}/assessment").json()
    assert assessment["customers"] == 3 and assessment["customer_hours"] == 12.0
    client.logout()
    assert client.get("/api/v1/outages/public/planned").json() == []
    client.force_login(grid.carol)
    assert client.post(f"/api/v1/outages/{outage_id}/approve", {}, content_type="application/json").status_code == 200
    client.logout()
    listed = client.get("/api/v1/outages/public/planned?county=610113").json()
    assert [o["title"] for o in listed] == ["长安南路线检修"]
