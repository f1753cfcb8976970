"""The platform's SM2 signature over a document's SM3 hash, and the check of a file against
the signatures on record. Plain bytes in, plain answers out."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from gmssl import sm2

PDF_MAGIC = b"%PDF-"


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _crypt(*, private_key: str = "", public_key: str) -> sm2.CryptSM2:
    return sm2.CryptSM2(private_key=private_key, public_key=public_key)


def sign_digest(sm3_digest_hex: str) -> tuple[str, str]:
    """SM2 (with SM3 and the standard user id) over the document's SM3 digest.
    Returns (signature hex, public key hex). The nonce comes from `secrets`: gmssl's own
    default draws it from `random`, which is not fit for signatures."""
    crypt = _crypt(private_key=settings.SM2_PRIVATE_KEY, public_key=settings.SM2_PUBLIC_KEY)
    value = crypt.sign_with_sm3(bytes.fromhex(sm3_digest_hex), secrets.token_hex(32))
    return value, settings.SM2_PUBLIC_KEY


def signature_valid(*, sm3_digest_hex: str, value: str, public_key: str) -> bool:
    try:
        return bool(_crypt(public_key=public_key).verify_with_sm3(value, bytes.fromhex(sm3_digest_hex)))
    except (ValueError, TypeError):
        return False


@dataclass(frozen=True)
class Verdict:
    authentic: bool
    reason: str
    number: str = ""
    signed_at: str = ""
    signer: str = ""
    sm3: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class BadDocument(ValueError):
    """The input is not a PDF at all (exit code 2, a form error), as opposed to a PDF that is not authentic."""


def verify_document(data: bytes, *, number: str = "") -> Verdict:
    """Is `data` byte for byte a contract the platform signed (and, with `number`, that one)?"""
    from contracts.models import Signature

    if not data:
        raise BadDocument("the file is empty")
    if not data.startswith(PDF_MAGIC):
        raise BadDocument("the file is not a PDF")
    digest = sm3_hex(data)
    record = Signature.objects.select_related("contract").filter(document_sm3=digest).first()
    if record is None:
        return Verdict(False, "没有与此文件内容一致的已签署合同（文件被修改，或并非本平台签署）", sm3=digest)
    if number and not hmac.compare_digest(number.strip().upper(), record.contract.number):
        return Verdict(False, "文件与所填合同编号不符", sm3=digest)
    if record.public_key != settings.SM2_PUBLIC_KEY:
        return Verdict(False, "签名所用公钥不是本平台当前公钥", number=record.contract.number, sm3=digest)
    if not signature_valid(sm3_digest_hex=digest, value=record.value, public_key=record.public_key):
        return Verdict(False, "SM2 签名验证失败", number=record.contract.number, sm3=digest)
    return Verdict(
        True, "真实有效：文件未被修改，平台 SM2 签名验证通过", number=record.contract.number,
        signed_at=record.confirmed_at.isoformat(), signer=_masked_name(record.signer_name), sm3=digest,
    )


def _masked_name(name: str) -> str:
    # The public page confirms a contract, it does not publish who signed it in full.
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
