"""Fees: only approved price items, never for a zero-investment customer's connection works."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications.actions.lifecycle import positive_decimal
from applications.models import Application
from core import events
from core.errors import invalid


def fee_add(*, application: Application, by: User, item: str, amount, basis: str, works: bool = False):
    from applications.models import Fee

    access.require(by, "fee.add")
    amount = positive_decimal("amount", amount)
    if not item.strip():
        raise invalid("item", "请填写收费项目")
    if not basis.strip():
        raise invalid("basis", "name the approved price item (价格主管部门批准的项目)")
    if works and application.zero_investment:
        raise invalid("works", "零投资（三零）客户不得收取接入工程费用")
    with transaction.atomic():
        fee = Fee.objects.create(application=application, item=item.strip(), amount=amount, basis=basis.strip(),
                                 works=works, added_by=by, added_at=timezone.now())
        events.record(actor=by, verb="fee.added", subject=application,
                      data={"item": fee.item, "amount": fee.amount, "basis": fee.basis, "works": works})
    return fee
