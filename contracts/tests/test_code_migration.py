"""Contract signing moved from contracts' own code table onto core.otp: the migration keeps
every signature verifiable and linked to the code it was confirmed with, and a code that
was waiting to be entered stops working (a new one signs)."""
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from applications.tests.conftest import at, enterprise
from contracts import actions
from contracts.models import Contract
from contracts.tests.conftest import accepted_application, last_code
from core import events, otp
from core.errors import InvalidInput
from core.models import OneTimeCode

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("contracts", "0001_contract_signing")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_signatures_keep_their_code_and_stay_verifiable_across_the_migration(zz, travel, tmp_path):
    signed_application = accepted_application(zz, travel)
    waiting_application = accepted_application(zz, travel, when=at(2026, 9, 28, 16), body=enterprise(
        county=zz.county.code, site_address="台儿庄区经济开发区兴业路2号"))
    signed, _ = actions.contract_generate(application=signed_application, by=zz.applicant)
    waiting, _ = actions.contract_generate(application=waiting_application, by=zz.applicant)
    travel(at(2026, 9, 29, 9))
    actions.contract_request_code(contract=signed, by=zz.applicant)
    actions.contract_sign(contract=signed, by=zz.applicant, code=last_code(zz.applicant.username))
    travel(at(2026, 9, 29, 9, 5))
    actions.contract_request_code(contract=waiting, by=zz.applicant)
    waiting_code = last_code(zz.applicant.username)

    try:
        # Back to contracts' own table, as a database from before this change holds it.
        old = migrate(BEFORE)
        SigningCode = old.get_model("contracts", "SigningCode")
        old_signature = old.get_model("contracts", "Signature").objects.get(contract_id=signed.pk)
        assert old_signature.code.contract_id == signed.pk and old_signature.code.used_at is not None
        assert old_signature.code.user_id == zz.applicant.pk
        assert SigningCode.objects.filter(contract_id=waiting.pk).count() == 1
        assert not OneTimeCode.objects.filter(purpose="contract").exists()
        signed_row = SigningCode.objects.get(contract_id=signed.pk)
        # The old table had its own live code for the waiting contract.
        SigningCode.objects.filter(contract_id=waiting.pk).update(revoked_at=None)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    signature = Contract.objects.get(pk=signed.pk).signature
    assert signature.code.scope == signed.code_scope and signature.code.purpose == "contract"
    assert (signature.code.created_at, signature.code.used_at, signature.code.attempts) == (
        signed_row.created_at, signed_row.used_at, signed_row.attempts)
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(bytes(signed.pdf))
    out = io.StringIO()
    call_command("contract", "verify", str(pdf), "--json", stdout=out)
    assert json.loads(out.getvalue())["authentic"] is True

    # The waiting code could not move (old hash format): it is revoked, and a new one signs.
    assert otp.live(purpose="contract", scope=waiting.code_scope) is None
    assert OneTimeCode.objects.get(scope=waiting.code_scope).revoked_at is not None
    with pytest.raises(InvalidInput, match="请先获取验证码"):
        actions.contract_sign(contract=waiting, by=zz.applicant, code=waiting_code)
    travel(at(2026, 9, 29, 9, 20))
    actions.contract_request_code(contract=waiting, by=zz.applicant)
    actions.contract_sign(contract=waiting, by=zz.applicant, code=last_code(zz.applicant.username))
    assert Contract.objects.get(pk=waiting.pk).state == Contract.State.SIGNED
    assert events.verify().ok
