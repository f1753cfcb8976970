"""Fees: only items of the region's fee catalogue (明码标价), never a zero-investment customer's
connection works; and the applicant's own choice of designer / builder / supplier (三指定 ban)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.identity import uscc_problem
from accounts.models import User
from applications import messages, rules
from applications.actions.progress import lock_open, refuse_not_in_policy
from applications.models import Application
from core import events
from core.bounds import POSITIVE_MONEY, check_text
from core.errors import Forbidden, invalid


def fee_add(*, application: Application, by: User, item: str, amount):
    """Charge an item of the region's fee catalogue, by its code or its published name;
    anything else is refused and the attempt logged. The basis and whether it is a works
    charge come from the catalogue, never from the person typing."""
    from applications.models import Fee

    access.require(by, "fee.add")
    amount = POSITIVE_MONEY.check("amount", amount)
    item = item or ""
    check_text("item", item, max_length=64)
    item = item.strip()
    if not item:
        raise invalid("item", "请填写收费项目")
    catalogue = rules.fee_catalogue(application.region, timezone.localdate())
    items = catalogue.items if catalogue is not None else {}
    code = item if item in items else next((c for c, entry in items.items() if entry.name == item), None)
    if code is None:
        raise refuse_not_in_policy(application=application, what="item", value=item, by=by,
                                   allowed=[entry.name for entry in items.values()])
    entry = items[code]
    if entry.works and application.zero_investment:
        raise invalid("item", "零投资（三零）客户不得收取接入工程费用")
    with transaction.atomic():
        application = lock_open(application)
        fee = Fee.objects.create(application=application, item=entry.name, catalogue_code=code, amount=amount,
                                 basis=entry.basis, works=entry.works, added_by=by, added_at=timezone.now())
        events.record(actor=by, verb="fee.added", subject=application,
                      data={"item": fee.item, "code": code, "amount": fee.amount, "basis": fee.basis,
                            "works": entry.works})
        messages.fee_due(fee)
    return fee


def contractor_choose(*, application: Application, by: User, role: str, name: str, uscc: str = ""):
    """Record the applicant's free choice of designer / builder / supplier; a later choice
    replaces the earlier one (both are in the event log)."""
    from applications.models import ContractorChoice

    if application.applicant_user_id is None or application.applicant_user_id != by.pk:
        raise Forbidden("只有用电客户本人可以选择设计、施工、供货单位；供电企业不得指定",
                        fields={"by": "仅限用电客户本人（禁止三指定）"})
    if role not in ContractorChoice.Role.values:
        raise invalid("role", f"应为以下之一：{'、'.join(str(label) for label in ContractorChoice.Role.labels)}")
    name = name or ""
    check_text("name", name, max_length=128)
    name = name.strip()
    if not name:
        raise invalid("name", "必填")
    uscc = (uscc or "").strip().upper()
    if uscc and uscc_problem(uscc):
        raise invalid("uscc", uscc_problem(uscc))
    with transaction.atomic():
        before = ContractorChoice.objects.filter(application=application, role=role).first()
        choice, _ = ContractorChoice.objects.update_or_create(
            application=application, role=role,
            defaults={"name": name, "uscc": uscc, "chosen_by": by, "chosen_at": timezone.now()})
        events.record(actor=by, verb="contractor.chosen", subject=application,
                      data={"role": role, "name": name, "uscc": uscc, "replaces": before.name if before else None})
    return choice
