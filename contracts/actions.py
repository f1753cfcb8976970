"""State changes of supply contracts: keyword-only, atomic, each writing its event."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import messages
from applications.models import Application, Status
from contracts import document, signing
from contracts.models import Contract, Signature
from core import events, otp
from core.errors import Conflict, Forbidden, InvalidInput, invalid
from core.models import OneTimeCode

# Closed without connection: no more codes are sent and nothing is signed.
CLOSED_UNSIGNED = {Status.WITHDRAWN, Status.REJECTED}


def _require_applicant(*, application: Application, by: User, permission: str) -> None:
    access.require(by, permission)
    if application.applicant_user_id != by.pk:
        raise Forbidden("只有本申请的申请人可以签订合同", fields={"user": "不是本申请的申请人"})
    # Read afresh: the caller's copy may predate a withdrawal.
    status = Application.objects.filter(pk=application.pk).values_list("status", flat=True).first()
    if status in CLOSED_UNSIGNED:
        raise Conflict(f"{application.number} 已办结，不能再签订合同",
                       fields={"status": status}, code="closed")


def contract_generate(*, application: Application, by: User) -> tuple[Contract, bool]:
    """Issue the contract PDF of an accepted application once; a repeat returns the first."""
    access.require(by, "contract.generate")
    existing = Contract.objects.filter(application=application).first()
    if existing:
        return existing, False
    if application.status not in {Status.IN_PROGRESS, Status.ENERGISED}:
        raise Conflict(f"{application.number} 尚未受理：受理后才能生成合同",
                       fields={"status": application.status})
    now = timezone.now()
    number = document.contract_number(application)
    pdf = document.contract_pdf(application, number=number, issued_at=now)
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                application=application, number=number, pdf=pdf, sha256=signing.sha256_hex(pdf),
                sm3=signing.sm3_hex(pdf), generated_at=now, generated_by=by,
            )
            events.record(actor=by, verb="contract.generated", subject=application,
                          data={"contract": number, "sm3": contract.sm3, "sha256": contract.sha256})
            messages.to_applicant(application, kind="contract_ready", event=f"contract:{contract.pk}",
                                  text=f"{application.number}：供用电合同 {number} 已生成，请登录网上办电阅读合同，"
                                       f"并用短信验证码在线签署。")
    except IntegrityError:
        # A concurrent request issued it first.
        return Contract.objects.get(application=application), False
    return contract, True


def _destination(user: User) -> str:
    return user.phone or user.email or user.get_username()


def contract_request_code(*, contract: Contract, by: User, client: str = "") -> OneTimeCode:
    """Send a one-time code to the applicant (core.otp); any earlier live code stops working.
    `client` is the requester's address, for core.otp's per-client limit."""
    _require_applicant(application=contract.application, by=by, permission="contract.sign")
    if contract.state == Contract.State.SIGNED:
        raise Conflict(f"{contract.number} 已签订", fields={"contract": "已签订"})
    destination = _destination(by)
    wait = otp.resend_wait(destination=destination, purpose=OneTimeCode.Purpose.CONTRACT, scope=contract.code_scope)
    if wait:
        raise Conflict(f"验证码刚刚发出，请 {wait} 秒后再获取", fields={"code": f"请 {wait} 秒后再获取"})
    # core.otp sends after its own commit, so this is not wrapped in a transaction: a
    # rolled-back request never delivers a code that does not exist.
    record = otp.send(destination=destination, purpose=OneTimeCode.Purpose.CONTRACT, scope=contract.code_scope,
                      client=client, what=f"供用电合同 {contract.number}")
    events.record(actor=by, verb="contract.code_sent", subject=contract.application,
                  data={"contract": contract.number, "channel": record.channel, "expires_at": record.expires_at})
    return record


def contract_sign(*, contract: Contract, by: User, code: str) -> Signature:
    """Check the applicant's code, then sign the document's SM3 hash with the platform SM2 key.

    A wrong code counts an attempt and is committed before the refusal, so attempts really run out."""
    _require_applicant(application=contract.application, by=by, permission="contract.sign")
    code = (code or "").strip()
    if not code.isdigit() or len(code) != otp.CODE_DIGITS:
        raise invalid("code", f"验证码为 {otp.CODE_DIGITS} 位数字")
    refusal = None
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.state == Contract.State.SIGNED:
            raise Conflict(f"{locked.number} 已签订", fields={"contract": "已签订"})
        if otp.live(purpose=OneTimeCode.Purpose.CONTRACT, scope=locked.code_scope) is None:
            raise invalid("code", "请先获取验证码")
        try:
            spent = otp.verify(destination=_destination(by), purpose=OneTimeCode.Purpose.CONTRACT, code=code,
                               scope=locked.code_scope)
        except otp.WrongCode as wrong:
            # Raised after the commit below, so the counted attempt stays counted.
            refusal = wrong
            events.record(actor=by, verb="contract.code_refused", subject=locked.application,
                          data={"contract": locked.number, "attempts": wrong.attempts})
        except InvalidInput as unusable:
            refusal = unusable
        else:
            pdf = bytes(locked.pdf)
            digest = signing.sm3_hex(pdf)
            if digest != locked.sm3:
                raise Conflict("存档合同与登记的摘要不符", fields={"contract": "合同文件被改动"})
            value, public_key = signing.sign_digest(digest)
            application = locked.application
            signature = Signature.objects.create(
                contract=locked, code=spent, signer=by, signer_name=application.applicant_name,
                confirmed_at=spent.used_at, document_sha256=signing.sha256_hex(pdf), document_sm3=digest,
                public_key=public_key, value=value,
            )
            locked.state = Contract.State.SIGNED
            locked.save(update_fields=["state"])
            events.record(actor=by, verb="contract.signed", subject=application,
                          data={"contract": locked.number, "sm3": digest, "sha256": signature.document_sha256,
                                "code": spent.pk, "algorithm": signature.algorithm, "signature": value})
    if refusal is not None:
        raise refusal
    return signature


def codes_revoke_for_closed(*, application: Application, by: User | None, now, reason: str) -> None:
    """The application closed: every live signing code stops working, with an event."""
    revoked = [contract.number for contract in Contract.objects.filter(application=application)
               if otp.revoke(purpose=OneTimeCode.Purpose.CONTRACT, scope=contract.code_scope)]
    if revoked:
        events.record(actor=by, verb="contract.codes_revoked", subject=application,
                      data={"contracts": sorted(revoked), "reason": reason[:200]})
