import pytest

from applications import actions as applications
from applications.tests.conftest import policies, travel, zz  # noqa: F401 (fixtures)
from contracts.tests.conftest import accepted_application


@pytest.fixture
def fee(zz, travel):
    """A 10 kV dual-supply enterprise charged 高可靠性供电费 after acceptance."""
    from applications.tests.conftest import enterprise

    application = accepted_application(zz, travel, body=enterprise(county=zz.county.code, supply="dual"))
    return applications.fee_add(application=application, by=zz.account_manager, item="高可靠性供电费",
                                amount="11300.00")
