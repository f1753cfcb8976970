"""The API's application detail and list cost a fixed number of queries, whatever the number
of stages, pauses, fees, events or rows (issue 9, throughput: the detail cost 19 queries and
the list read and shaped every application of the jurisdiction before paginating)."""
import pytest

from accounts import actions as accounts
from applications import actions
from applications.tests.conftest import at, enterprise, person
from contracts.tests.conftest import accepted_application

pytestmark = pytest.mark.django_db

# A first read (nothing cached for the log's head yet; the token's row is, from `bearer`):
# 1 the log's head (core.readcache), 1 the user's memberships with their organisations (the
# jurisdiction's divisions are a subquery), 1 the application with which of its lists have rows,
# 1 its stages, 1 the calendar's version (one schedule for every stage), 1 its events.
DETAIL_QUERIES = 6
# With fees and a grid project, those two lists are read too (one query each, however many rows),
# and the token's row once more: adding them moved the log's head.
DETAIL_QUERIES_WITH_LISTS = DETAIL_QUERIES + 2 + 1
# 1 the log's head, 1 memberships, 1 the page's rows with their open stage and the total.
LIST_QUERIES = 3


def bearer(client, user) -> dict:
    """A token's headers, used once already (the first use writes the token's "last used")."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {accounts.api_token_create(user=user, name='queries')}"}
    assert client.get("/api/v1/applications/", **headers).status_code == 200
    return headers


def accepted_many(team, travel, n):
    last = None
    for i in range(n):
        body = (enterprise(county=team.county.code, applicant_name=f"台儿庄企业{i}") if i % 2
                else person(county=team.county.code, applicant_name=f"居民{i}"))
        last = accepted_application(team, travel, body=body, when=at(2026, 9, 28, 8, i))
    return last


@pytest.mark.parametrize("n", [1, 12])
def test_the_list_costs_the_same_queries_for_1_and_12_applications(zz, travel, client, django_assert_num_queries, n):
    accepted_many(zz, travel, n)
    headers = bearer(client, zz.account_manager)
    with django_assert_num_queries(LIST_QUERIES):
        answer = client.get("/api/v1/applications/?page_size=5", **headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == n and len(body["items"]) == min(n, 5)
    assert all(item["current_stage"] for item in body["items"])


def test_an_empty_page_still_counts_the_rows(zz, travel, client):
    accepted_many(zz, travel, 2)
    body = client.get("/api/v1/applications/?page=3&page_size=1", **bearer(client, zz.account_manager)).json()
    assert body == {"items": [], "count": 2}


def test_the_detail_reads_only_the_lists_that_have_rows(zz, travel, client, django_assert_num_queries):
    application = accepted_many(zz, travel, 1)
    headers = bearer(client, zz.account_manager)
    with django_assert_num_queries(DETAIL_QUERIES):
        bare = client.get(f"/api/v1/applications/{application.pk}", **headers)
    assert bare.status_code == 200 and bare.json()["fees"] == [] and bare.json()["grid_projects"] == []

    for amount in ("11300.00", "200.00"):
        actions.fee_add(application=application, by=zz.account_manager, item="高可靠性供电费", amount=amount)
    actions.grid_project_open(application=application, by=zz.project_manager, kind="supporting_works", name="配套工程")
    with django_assert_num_queries(DETAIL_QUERIES_WITH_LISTS):
        full = client.get(f"/api/v1/applications/{application.pk}", **headers).json()
    assert [f["amount"] for f in full["fees"]] == ["11300.00", "200.00"]
    assert [p["name"] for p in full["grid_projects"]] == ["配套工程"]
    assert len(full["events"]) > len(bare.json()["events"])
