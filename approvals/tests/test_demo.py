"""The demo loads approval cases through the real actions, in time order."""
import pytest

from applications import demo
from applications.tests.conftest import policies  # noqa: F401 (fixture)
from approvals.models import ApprovalRequest, CaseStatus, DepartmentCase, ProcessTime
from core import events


@pytest.mark.django_db
def test_demo_loads_routed_works_with_decisions_and_late_cases(policies):
    demo.load(applications=80)
    assert ApprovalRequest.objects.count() >= 6
    statuses = set(DepartmentCase.objects.values_list("status", flat=True))
    assert CaseStatus.APPROVED in statuses and CaseStatus.PENDING in statuses
    assert DepartmentCase.objects.filter(overdue=True, escalated_at__isnull=False).exists()
    assert ProcessTime.objects.exists()  # energised applications carry their full-process time
    roles = {role for _, role, _ in demo.demo_logins()}
    assert {"gov_officer", "gov_supervisor"} <= roles
    assert events.verify().ok
