"""State changes of supply contracts: keyword-only, atomic, each writing its event."""
from __future__ import annotations

import datetime as dt
import hmac
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import messages
from applications.models import Application, Status
from contracts import document, signing
from contracts.models import Contract, Signature, SigningCode
from core import events
from core.errors import Conflict, Forbidden, invalid

# Closed without connection: no more codes are sent and nothing is signed.
CLOSED_UNSIGNED = {Status.WITHDRAWN, Status.REJECTED}
CODE_DIGITS = 6
CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
# A still-usable code is not replaced sooner than this: each code is an SMS someone pays for.
RESEND_AFTER = dt.timedelta(seconds=60)


def _code_hash(*, contract: Contract, code: str) -> str:
    # Keyed with the server secret and bound to the contract: a leaked table reveals no code.
    mac = crypto_hmac.HMAC(settings.SECRET_KEY.encode("utf-8"), hashes.SM3())
    mac.update(f"contract-sign:{contract.pk}:{code}".encode("utf-8"))
    return mac.finalize().hex()


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


def contract_request_code(*, contract: Contract, by: User, channel: str | None = None) -> SigningCode:
    """Send a one-time code to the applicant; any earlier live code stops working."""
    from core.channels import CHANNELS, Delivery
    from core.otp import channel_for

    _require_applicant(application=contract.application, by=by, permission="contract.sign")
    if contract.state == Contract.State.SIGNED:
        raise Conflict(f"{contract.number} 已签订", fields={"contract": "已签订"})
    destination = by.phone or by.email or by.get_username()
    channel = channel or channel_for(destination)
    if channel not in CHANNELS:
        raise invalid("channel", f"不支持的发送方式 {channel!r}")
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        live = SigningCode.objects.filter(contract=contract, used_at__isnull=True, revoked_at__isnull=True).first()
        if live and live.attempts < MAX_ATTEMPTS and live.expires_at > now and now - live.created_at < RESEND_AFTER:
            wait = int((RESEND_AFTER - (now - live.created_at)).total_seconds()) + 1
            raise Conflict(f"验证码刚刚发出，请 {wait} 秒后再获取", fields={"code": f"请 {wait} 秒后再获取"})
        SigningCode.objects.filter(contract=contract, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now)
        record = SigningCode.objects.create(contract=contract, user=by, code_hash=_code_hash(contract=contract, code=code),
                                            channel=channel, created_at=now, expires_at=now + CODE_TTL)
        events.record(actor=by, verb="contract.code_sent", subject=contract.application,
                      data={"contract": contract.number, "channel": channel, "expires_at": record.expires_at})
    # Sent after commit so a rolled-back request never delivers a code that does not exist.
    # Marked secret: the console channel never logs the code outside DEBUG.
    CHANNELS[channel].send(Delivery(
        destination=destination, key=f"contract-code:{record.pk}", subject="电子签约", secret=True,
        text=f"【getpower】您正在签署供用电合同 {contract.number}，验证码 {code}，"
             f"{int(CODE_TTL.total_seconds() // 60)} 分钟内有效。"))
    return record


def contract_sign(*, contract: Contract, by: User, code: str) -> Signature:
    """Check the applicant's code, then sign the document's SM3 hash with the platform SM2 key.

    A wrong code counts an attempt and is committed before the refusal, so attempts really run out."""
    _require_applicant(application=contract.application, by=by, permission="contract.sign")
    code = (code or "").strip()
    if not code.isdigit() or len(code) != CODE_DIGITS:
        raise invalid("code", f"验证码为 {CODE_DIGITS} 位数字")
    refusal = None
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.state == Contract.State.SIGNED:
            raise Conflict(f"{locked.number} 已签订", fields={"contract": "已签订"})
        now = timezone.now()
        live = (SigningCode.objects.select_for_update()
                .filter(contract=locked, user=by, used_at__isnull=True, revoked_at__isnull=True).first())
        if live is None:
            raise invalid("code", "请先获取验证码")
        if live.expires_at <= now:
            raise invalid("code", "验证码已过期，请重新获取")
        if live.attempts >= MAX_ATTEMPTS:
            raise invalid("code", "验证码错误次数过多，请重新获取")
        if not hmac.compare_digest(live.code_hash, _code_hash(contract=locked, code=code)):
            live.attempts += 1
            live.save(update_fields=["attempts"])
            events.record(actor=by, verb="contract.code_refused", subject=locked.application,
                          data={"contract": locked.number, "attempts": live.attempts})
            left = MAX_ATTEMPTS - live.attempts
            refusal = invalid("code", f"验证码错误，还可尝试 {left} 次" if left else
                              "验证码错误，已无尝试次数，请重新获取")
        else:
            pdf = bytes(locked.pdf)
            digest = signing.sm3_hex(pdf)
            if digest != locked.sm3:
                raise Conflict("存档合同与登记的摘要不符", fields={"contract": "合同文件被改动"})
            value, public_key = signing.sign_digest(digest)
            live.used_at = now
            live.attempts += 1
            live.save(update_fields=["used_at", "attempts"])
            application = locked.application
            signature = Signature.objects.create(
                contract=locked, code=live, signer=by, signer_name=application.applicant_name, confirmed_at=now,
                document_sha256=signing.sha256_hex(pdf), document_sm3=digest, public_key=public_key, value=value,
            )
            locked.state = Contract.State.SIGNED
            locked.save(update_fields=["state"])
            events.record(actor=by, verb="contract.signed", subject=application,
                          data={"contract": locked.number, "sm3": digest, "sha256": signature.document_sha256,
                                "code": live.pk, "algorithm": signature.algorithm, "signature": value})
    if refusal is not None:
        raise refusal
    return signature


def codes_revoke_for_closed(*, application: Application, by: User | None, now, reason: str) -> None:
    """The application closed: every live signing code stops working, with an event."""
    live = SigningCode.objects.filter(contract__application=application, used_at__isnull=True, revoked_at__isnull=True)
    revoked = list(live.values_list("contract__number", flat=True))
    if revoked:
        live.update(revoked_at=now)
        events.record(actor=by, verb="contract.codes_revoked", subject=application,
                      data={"contracts": sorted(set(revoked)), "reason": reason[:200]})
