"""Full-process time: grid-side, approval and customer time apart, in the policy's unit."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.models import Application, Stage
from applications.tests.conftest import at, enterprise, policies, travel  # noqa: F401 (fixtures)
from applications.tests.test_flows import as_user, post
from approvals import actions, queries
from approvals.models import ProcessTime
from approvals.process_time import compute
from approvals.tests.test_cases import accepted, zj  # noqa: F401 (fixtures)
from workdays.tests.schedules import SCHEDULE

spans = st.lists(st.tuples(st.dates(dt.date(2025, 1, 1), dt.date(2025, 6, 30)), st.integers(0, 40)), max_size=4)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(dt.date(2025, 1, 1), dt.date(2025, 3, 31)), length=st.integers(0, 120), customer=spans,
       approval=spans, unit=st.sampled_from(["day", "workday"]), counts=st.booleans())
def test_every_counted_day_is_in_exactly_one_part(start, length, customer, approval, unit, counts):
    end = start + dt.timedelta(days=length)
    timed = compute(start=start, end=end, finished=True, unit=unit, counts_approval=counts, schedule=SCHEDULE,
                    customer=[(a, a + dt.timedelta(days=n)) for a, n in customer],
                    approval=[(a, a + dt.timedelta(days=n)) for a, n in approval])
    for split in (timed.days, timed.workdays):
        assert split.total == split.grid + split.approval + split.customer
    assert timed.days.total == length
    working = sum(1 for i in range(1, length + 1) if SCHEDULE.is_working(start + dt.timedelta(days=i)))
    assert timed.workdays.total == working
    own = timed.workdays if unit == "workday" else timed.days
    assert timed.grid_side == own.grid
    assert timed.counted == own.grid + (own.approval if counts else 0)


@pytest.mark.django_db
def test_a_zhejiang_application_energised_records_its_full_process_time(zj, travel):
    application = accepted(zj, travel, enterprise(site_address="西湖区文三路300号", voltage_kv="0.38",
                                                   capacity_kva="100"))
    travel(at(2026, 11, 23, 11))
    approval = actions.request_submit(application=application, by=zj.account_manager, kw=100, length_m=400)
    assert not approval.exempt and "parallel" in approval.routes  # Zhejiang exempts LV only up to 200 m
    travel(at(2026, 11, 26, 15))
    actions.case_decide(case=approval.cases.get(), by=zj.gov.natural_resources.officer, decision="approved")
    travel(at(2026, 11, 30, 16))
    while (application := Application.objects.get(pk=application.pk)).status != "energised":
        stage = application.stages.filter(state=Stage.State.ACTIVE).order_by("seq").first()
        response = post(as_user(zj.installer), f"/api/v1/applications/{application.pk}/stages/{stage.code}/complete",
                        {"result": "完成", "checked_by": zj.second_inspector.username})
        assert response.status_code == 200, response.content
    record = ProcessTime.objects.get(application=application)
    # 11-23 (not counted) to 11-30: 7 days, 5 working days; the department held it 11-24..26.
    assert (record.start, record.end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 30))
    assert (record.calendar_days, record.working_days) == (7, 5)
    assert (record.approval_days, record.approval_workdays, record.customer_days) == (3, 3, 0)
    category = application.policy_version.policy().categories[application.category]
    assert record.unit == category.unit == "day"  # Zhejiang counts calendar days
    assert record.grid_side == 4
    assert record.counts_approval and record.counted == 7
    assert queries.process_time(application, today=dt.date(2027, 1, 1)).days.total == 7
