"""The API's hot reads are answered from a cache keyed by the event log's head
(core.readcache, issue 9 throughput): a repeated read costs one query, and nothing a user
does, nor a new day, nor another user's read, ever gets a stale or foreign answer."""
from datetime import date, timedelta

import pytest

from accounts import actions as accounts
from applications import actions
from applications.tests.conftest import at
from contracts.tests.conftest import accepted_application

pytestmark = pytest.mark.django_db


def bearer(user, **kwargs) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.api_token_create(user=user, name='cache', **kwargs)}"}


@pytest.fixture
def accepted(zz, travel):
    return accepted_application(zz, travel)


@pytest.mark.parametrize("path", ["/api/v1/applications/{pk}", "/api/v1/applications/"])
def test_a_repeated_read_costs_one_query_and_answers_the_same(zz, accepted, client, django_assert_num_queries, path):
    headers = bearer(zz.account_manager)
    path = path.format(pk=accepted.pk)
    first = client.get(path, **headers)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the log's head
        again = client.get(path, **headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Content-Type"] == first["Content-Type"]


def test_a_change_is_seen_by_the_next_read(zz, accepted, client):
    headers = bearer(zz.account_manager)
    path = f"/api/v1/applications/{accepted.pk}"
    assert client.get(path, **headers).json()["fees"] == []
    actions.fee_add(application=accepted, by=zz.account_manager, item="高可靠性供电费", amount="200.00")
    assert [fee["amount"] for fee in client.get(path, **headers).json()["fees"]] == ["200.00"]

    stage = client.get(path, **headers).json()["current_stage"]
    done = client.post(f"{path}/stages/{stage}/complete", {"result": "已完成"}, content_type="application/json",
                       **headers)
    assert done.status_code == 200
    assert client.get(path, **headers).json()["current_stage"] != stage


def test_a_read_cached_for_one_user_never_answers_another(zz, zj, accepted, client):
    path = f"/api/v1/applications/{accepted.pk}"
    ours, theirs = bearer(zz.account_manager), bearer(zj.account_manager)  # before any read: tokens move the head
    assert client.get(path, **ours).status_code == 200
    assert client.get("/api/v1/applications/", **ours).json()["count"] == 1
    assert client.get(path, **theirs).status_code == 404
    assert client.get("/api/v1/applications/", **theirs).json()["count"] == 0


def test_a_revoked_token_is_refused_at_once(zz, accepted, client):
    token, record = accounts.api_token_issue(user=zz.account_manager, name="revoked")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    path = f"/api/v1/applications/{accepted.pk}"
    assert client.get(path, **headers).status_code == 200
    accounts.api_token_revoke(token=record)
    assert client.get(path, **headers).status_code == 401


def test_an_expired_token_is_refused_though_nothing_else_changed(zz, accepted, client, travel):
    headers = bearer(zz.account_manager, days=1)  # at 2026-09-28 15:00, the time `accepted` left the clock at
    path = f"/api/v1/applications/{accepted.pk}"
    travel(at(2026, 9, 29, 14, 59))
    assert client.get(path, **headers).status_code == 200
    travel(at(2026, 9, 29, 15, 1))  # two minutes on: the cached token row has not expired, the token has
    assert client.get(path, **headers).status_code == 401


def test_a_new_day_is_a_new_answer(zz, accepted, client, travel):
    """`overdue` is counted against today: the answer of a minute before midnight must not
    serve after it, though no event was written in between."""
    headers = bearer(zz.account_manager, days=30)
    due = date.fromisoformat(client.get(f"/api/v1/applications/{accepted.pk}", **headers).json()["current_due"])
    travel(at(due.year, due.month, due.day, 23, 58))
    assert client.get("/api/v1/applications/?overdue=true", **headers).json()["count"] == 0
    later = due + timedelta(days=1)
    travel(at(later.year, later.month, later.day, 0, 2))  # four minutes on: the entry has not expired
    assert client.get("/api/v1/applications/?overdue=true", **headers).json()["count"] == 1
