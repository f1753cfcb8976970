"""Reads of contracts: always through the application the user may see."""
from __future__ import annotations

from accounts import access
from accounts.models import User
from applications.models import Application
from applications.queries import application_for
from contracts.models import Contract
from core import otp
from core.models import OneTimeCode


def application_with_contract(user: User, application_id) -> tuple[Application, Contract | None]:
    """The application (NotFound when invisible) and its contract, if issued."""
    application = application_for(user, application_id)
    access.require(user, "contract.view")
    return application, Contract.objects.filter(application=application).select_related("signature").first()


def live_code(contract: Contract) -> OneTimeCode | None:
    """The signing code waiting to be entered, if any (it may have expired or run out of attempts)."""
    return otp.live(purpose=OneTimeCode.Purpose.CONTRACT, scope=contract.code_scope)
