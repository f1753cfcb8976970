"""The supply contract of an accepted application: a PDF with Chinese text, signed after a
one-time code, verifiable by anyone with the file."""
import datetime as dt
import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from applications.tests.conftest import at
from contracts import actions, signing
from contracts.models import Contract
from contracts.tests.conftest import last_code
from core import events, otp
from core.errors import Conflict, Forbidden, InvalidInput
from core.models import Event, OneTimeCode

pytestmark = pytest.mark.django_db
GETPOWER = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "getpower")


def pdf_text(data: bytes) -> str:
    # Letter-spaced headings come back as "供 用 电"; compare without whitespace.
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def signed(accepted, zz, travel):
    contract, _ = actions.contract_generate(application=accepted, by=zz.applicant)
    travel(at(2026, 9, 29, 9))
    actions.contract_request_code(contract=contract, by=zz.applicant)
    actions.contract_sign(contract=contract, by=zz.applicant, code=last_code(zz.applicant.username))
    contract.refresh_from_db()
    return contract


def test_the_contract_pdf_carries_the_parties_and_site_in_chinese(accepted, zz):
    contract, created = actions.contract_generate(application=accepted, by=zz.applicant)
    assert created and contract.number == f"HT{accepted.number}"
    data = bytes(contract.pdf)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    # Text extraction proves the glyphs are real CJK text with a font, not boxes.
    for phrase in ("供用电合同", accepted.applicant_name, accepted.site_address, "台儿庄区供电公司", contract.number):
        assert "".join(phrase.split()) in text, phrase
    assert contract.sm3 == signing.sm3_hex(data)
    again, created_again = actions.contract_generate(application=accepted, by=zz.account_manager)
    assert (again.pk, created_again) == (contract.pk, False)
    assert Event.objects.filter(verb="contract.generated").count() == 1


def test_no_contract_before_acceptance(zz, travel):
    from applications import actions as applications
    from applications.actions import ApplicationInput
    from applications.tests.conftest import enterprise

    travel(at(2026, 9, 28, 10))
    application, _ = applications.application_create(by=zz.applicant,
                                                      data=ApplicationInput(**enterprise(county=zz.county.code)))
    with pytest.raises(Conflict):
        actions.contract_generate(application=application, by=zz.applicant)


def test_a_wrong_code_is_refused_and_attempts_run_out(accepted, zz, travel):
    contract, _ = actions.contract_generate(application=accepted, by=zz.applicant)
    actions.contract_request_code(contract=contract, by=zz.applicant)
    right = last_code(zz.applicant.username)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for attempt in range(1, otp.CODE_MAX_ATTEMPTS + 1):
        with pytest.raises(InvalidInput) as refused:
            actions.contract_sign(contract=contract, by=zz.applicant, code=wrong)
        assert "验证码错误" in refused.value.message
        # The count survives the refusal: it was committed before the error.
        assert OneTimeCode.objects.get(scope=contract.code_scope).attempts == attempt
    with pytest.raises(InvalidInput, match="错误次数过多"):
        actions.contract_sign(contract=contract, by=zz.applicant, code=right)
    contract.refresh_from_db()
    assert contract.state == Contract.State.ISSUED
    assert Event.objects.filter(verb="contract.code_refused").count() == otp.CODE_MAX_ATTEMPTS

    # A new code replaces the locked one and signs.
    actions.contract_request_code(contract=contract, by=zz.applicant)
    signature = actions.contract_sign(contract=contract, by=zz.applicant, code=last_code(zz.applicant.username))
    assert signature.contract.state == Contract.State.SIGNED


def test_an_expired_code_is_refused(accepted, zz, travel):
    contract, _ = actions.contract_generate(application=accepted, by=zz.applicant)
    actions.contract_request_code(contract=contract, by=zz.applicant)
    code = last_code(zz.applicant.username)
    travel(at(2026, 9, 28, 15) + otp.CODE_TTL + dt.timedelta(seconds=1))
    with pytest.raises(InvalidInput, match="已过期"):
        actions.contract_sign(contract=contract, by=zz.applicant, code=code)


def test_a_new_code_waits_a_minute_and_replaces_the_old_one(accepted, zz, travel):
    contract, _ = actions.contract_generate(application=accepted, by=zz.applicant)
    actions.contract_request_code(contract=contract, by=zz.applicant)
    first = last_code(zz.applicant.username)
    with pytest.raises(Conflict, match="刚刚发出"):
        actions.contract_request_code(contract=contract, by=zz.applicant)
    travel(at(2026, 9, 28, 15) + otp.CODE_RESEND_AFTER)
    actions.contract_request_code(contract=contract, by=zz.applicant)
    second = last_code(zz.applicant.username)
    if first != second:  # one in a million the two codes coincide; the old code must not sign
        with pytest.raises(InvalidInput, match="验证码错误"):
            actions.contract_sign(contract=contract, by=zz.applicant, code=first)
    actions.contract_sign(contract=contract, by=zz.applicant, code=second)
    assert OneTimeCode.objects.filter(scope=contract.code_scope, revoked_at__isnull=False).count() == 1


def test_only_the_applicant_signs(accepted, zz):
    contract, _ = actions.contract_generate(application=accepted, by=zz.account_manager)
    with pytest.raises(Forbidden):
        actions.contract_request_code(contract=contract, by=zz.account_manager)


def test_the_right_code_signs_the_sm3_hash_with_the_platform_key(accepted, zz, travel):
    contract = signed(accepted, zz, travel)
    signature = contract.signature
    assert contract.state == Contract.State.SIGNED
    assert signature.signer == zz.applicant
    assert signature.confirmed_at == at(2026, 9, 29, 9)
    assert signature.document_sm3 == signing.sm3_hex(bytes(contract.pdf)) == contract.sm3
    assert signing.signature_valid(sm3_digest_hex=signature.document_sm3, value=signature.value,
                                   public_key=signature.public_key)
    assert signature.code.used_at is not None
    event = Event.objects.get(verb="contract.signed")
    assert event.data["sm3"] == contract.sm3 and event.actor == zz.applicant
    assert events.verify().ok
    with pytest.raises(Conflict):
        actions.contract_request_code(contract=contract, by=zz.applicant)


def test_contract_verify_command_on_the_signed_and_on_a_modified_file(accepted, zz, travel, tmp_path):
    contract = signed(accepted, zz, travel)
    original = tmp_path / "contract.pdf"
    original.write_bytes(bytes(contract.pdf))
    out = io.StringIO()
    call_command("contract", "verify", str(original), "--json", stdout=out)
    verdict = json.loads(out.getvalue())
    assert verdict["authentic"] is True and verdict["number"] == contract.number

    modified = tmp_path / "modified.pdf"
    data = bytearray(contract.pdf)
    data[len(data) // 2] ^= 0x01
    modified.write_bytes(bytes(data))
    with pytest.raises(SystemExit) as exit_info:
        call_command("contract", "verify", str(modified), stdout=io.StringIO())
    assert exit_info.value.code == 1

    with pytest.raises(SystemExit) as wrong_number:
        call_command("contract", "verify", str(original), "--number", "HT-OTHER", stdout=io.StringIO())
    assert wrong_number.value.code == 1


def test_an_unsigned_contract_is_not_authentic(accepted, zz, tmp_path):
    contract, _ = actions.contract_generate(application=accepted, by=zz.applicant)
    path = tmp_path / "unsigned.pdf"
    path.write_bytes(bytes(contract.pdf))
    with pytest.raises(SystemExit) as exit_info:
        call_command("contract", "verify", str(path), stdout=io.StringIO())
    assert exit_info.value.code == 1


@pytest.mark.parametrize("content, name", [(b"hello", "note.txt"), (None, "missing.pdf")])
def test_contract_verify_exits_2_on_bad_input(tmp_path, content, name):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    # Through the installed console script: the exit code an operator's shell sees.
    result = subprocess.run([GETPOWER, "contract", "verify", str(path)], capture_output=True, text=True,
                            env={"DJANGO_SETTINGS_MODULE": "getpower.settings_test", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2, result.stderr
    assert "file:" in result.stderr


def test_the_public_verify_page_needs_no_login(accepted, zz, travel):
    contract = signed(accepted, zz, travel)
    public = Client()
    assert public.get("/contracts/verify/").status_code == 200

    def check(data: bytes, number: str):
        upload = io.BytesIO(data)
        upload.name = "contract.pdf"
        return public.post("/contracts/verify/", {"number": number, "file": upload})

    good = check(bytes(contract.pdf), contract.number)
    assert good.status_code == 200 and "真实有效" in good.content.decode()
    tampered = bytes(contract.pdf).replace(b"%PDF-1.7", b"%PDF-1.6", 1) + b"\n% appended\n"
    bad = check(tampered, contract.number)
    assert bad.status_code == 200 and "验证未通过" in bad.content.decode()
    other = check(bytes(contract.pdf), "HT000")
    assert "验证未通过" in other.content.decode()
    junk = check(b"not a pdf", contract.number)
    assert junk.status_code == 422


def test_contract_pages_follow_jurisdiction(accepted, zz, travel):
    from applications.tests.conftest import county_team

    applicant = Client()
    applicant.force_login(zz.applicant)
    assert applicant.get(f"/contracts/{accepted.pk}/").status_code == 200
    response = applicant.post(f"/contracts/{accepted.pk}/generate")
    assert response.status_code == 302
    assert applicant.get(f"/contracts/{accepted.pk}/pdf")["Content-Type"] == "application/pdf"

    staff = Client()
    staff.force_login(zz.supervisor)
    page = staff.get(f"/contracts/{accepted.pk}/")
    assert page.status_code == 200 and "等待用电客户在线签署" in page.content.decode()

    other = county_team(region="zhejiang", province_code="330000", province="浙江省", city_code="330100",
                        city="杭州市", city_group="hangzhou_ningbo", county_code="330106", county="西湖区", slug="xh")
    for outsider in (other.applicant, other.account_manager):
        client = Client()
        client.force_login(outsider)
        assert client.get(f"/contracts/{accepted.pk}/").status_code == 404
        assert client.get(f"/contracts/{accepted.pk}/pdf").status_code == 404
        assert client.post(f"/contracts/{accepted.pk}/code").status_code == 404
    assert Client().get(f"/contracts/{accepted.pk}/").status_code == 302  # to the login page


def test_signing_through_the_page(accepted, zz, travel):
    actions.contract_generate(application=accepted, by=zz.applicant)
    client = Client()
    client.force_login(zz.applicant)
    assert "验证码已发送" in client.post(f"/contracts/{accepted.pk}/code").content.decode()
    wrong = client.post(f"/contracts/{accepted.pk}/sign", {"code": "12345"})
    assert wrong.status_code == 422
    done = client.post(f"/contracts/{accepted.pk}/sign", {"code": last_code(zz.applicant.username)})
    assert done.status_code == 200 and "签署成功" in done.content.decode()


def test_the_configured_key_pair_matches_and_a_mismatch_is_named(settings):
    from contracts.checks import key_pair_problem, sm2_key_pair

    assert sm2_key_pair(None) == []
    assert "not the public key" in key_pair_problem(settings.SM2_PRIVATE_KEY, "00" * 64)
    assert "not hex" in key_pair_problem("zz", settings.SM2_PUBLIC_KEY)
