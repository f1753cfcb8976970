"""An enterprise in 台儿庄 (Zaozhuang policy) whose 10 kV application has been accepted:
the moment its supply contract can be issued and signed."""
import pytest

from applications import actions as applications
from applications.actions import ApplicationInput
from applications.tests.conftest import at, enterprise, policies, travel, zz  # noqa: F401 (fixtures)


def accepted_application(team, travel_to, *, body=None, when=None):
    travel_to(when or at(2026, 9, 28, 10))
    data = ApplicationInput(**(body or enterprise(county=team.county.code)))
    application, _ = applications.application_create(by=team.applicant, data=data)
    travel_to(when or at(2026, 9, 28, 15))
    return applications.application_accept(application=application, by=team.account_manager)


@pytest.fixture
def accepted(zz, travel):
    return accepted_application(zz, travel)


def last_code(destination: str) -> str:
    """The code the console channel delivered to `destination` (the applicant's phone or username)."""
    from core.channels import CHANNELS

    for to, message in reversed(CHANNELS["console"].sent):
        if to == destination:
            return message.split("验证码 ")[1][:6]
    raise AssertionError(f"no code was sent to {destination}")

