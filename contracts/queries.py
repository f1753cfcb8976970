"""Reads of contracts: always through the application the user may see."""
from __future__ import annotations

from accounts import access
from accounts.models import User
from applications.models import Application
from applications.queries import application_for
from contracts.models import Contract, SigningCode


def application_with_contract(user: User, application_id) -> tuple[Application, Contract | None]:
    """The application (NotFound when invisible) and its contract, if issued."""
    application = application_for(user, application_id)
    access.require(user, "contract.view")
    return application, Contract.objects.filter(application=application).select_related("signature").first()


def live_code(contract: Contract, user: User) -> SigningCode | None:
    return SigningCode.objects.filter(contract=contract, user=user, used_at__isnull=True,
                                      revoked_at__isnull=True).first()
