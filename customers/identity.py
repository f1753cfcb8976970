"""Identity checks behind one interface: a registry of providers. The default checks the
ID / USCC check digits and a one-time code sent to the account's phone or e-mail; a face
check (刷脸办电) is a provider's service and would be one more entry in PROVIDERS."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from accounts.identity import id_number_problem, normalise, uscc_problem
from accounts.models import User
from core.errors import InvalidInput


@dataclass(frozen=True)
class IdentityClaim:
    kind: str  # person | enterprise
    name: str
    number: str  # 居民身份证号码 or 统一社会信用代码
    code: str = ""  # the one-time code, for providers that use one


class IdentityProvider(Protocol):
    code: str
    name: str

    def verify(self, *, user: User, claim: IdentityClaim) -> None:
        """Raise InvalidInput naming the field when the claim does not hold."""


class IdAndCodeProvider:
    code = "id_code"
    name = "证件号码 + 短信验证码"

    def verify(self, *, user: User, claim: IdentityClaim) -> None:
        from customers import actions  # the code check is an action: it spends attempts

        fields = {}
        if not claim.name.strip():
            fields["name"] = "必填"
        number = normalise(claim.number)
        problem = (id_number_problem(number) if claim.kind == "person" else uscc_problem(number)) if number else "必填"
        if problem:
            fields["number"] = problem
        if fields:
            raise InvalidInput("; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields)
        actions.code_verify(destination=actions.contact_of(user), purpose="identity", code=claim.code)


PROVIDERS: dict[str, IdentityProvider] = {"id_code": IdAndCodeProvider()}
DEFAULT_PROVIDER = "id_code"
