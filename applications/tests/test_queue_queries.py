"""The queue page costs the same number of queries for 10 rows as for 50 (issue 9: it cost
3 per row). The schedule is fetched once per request, the rows come with what they show."""
import pytest

from applications import actions
from applications.tests.conftest import at, person
from applications.tests.test_flows import as_user

pytestmark = pytest.mark.django_db


def file_applications(team, n):
    """n applications; every other one accepted, so rows carry both pool and policy stages."""
    for i in range(n):
        application, _ = actions.application_create(by=team.applicant, data=actions.ApplicationInput(
            **person(county=team.county.code, site_address=f"台儿庄区古城路{i + 1}号",
                     id_number="11010519491231002X")))
        if i % 2:
            actions.application_accept(application=application, by=team.account_manager)


def open_queue(team, n, travel):
    travel(at(2026, 9, 28, 9))
    file_applications(team, n)
    travel(at(2026, 10, 9, 9))  # some rows warn, some are overdue: every badge is computed
    client = as_user(team.account_manager)
    first = client.get("/work/")  # the session and the schedule cache are warm afterwards
    assert first.status_code == 200
    assert first.content.decode().count('class="row-') == n
    return client


# Measured at the merge base: 22 queries for 10 rows, 62 for 50 (one schedule lookup per row).
# 10 = 9 for the queue + 1 for the unread-message count in the nav (core.context_processors);
# 14 before the user's roles and organisations were read in one query and the division
# subtree became a subquery of the scope (issue 9, throughput).
QUEUE_QUERIES = 10


@pytest.mark.parametrize("n", [10, 50])
def test_the_queue_page_costs_the_same_queries_for_10_and_50_rows(zz, travel, django_assert_num_queries, n):
    client = open_queue(zz, n, travel)
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get("/work/").status_code == 200
