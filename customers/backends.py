"""验证码登录 as a Django authentication backend, so it runs behind django-axes like the
password: a locked account or address is refused before the code is looked at, and a wrong
code counts as a failed log-in against the account and the address."""
from __future__ import annotations

from core import otp
from core.errors import InvalidInput
from core.models import OneTimeCode
from customers.actions import account_for_contact


class OneTimeCodeBackend:
    """authenticate(request, username=..., contact=..., one_time_code=...). `username` is only
    for django-axes (the name its counters use); the code decides. Why a code was refused is
    left on the request (`one_time_code_problem`) for the page to show."""

    def authenticate(self, request, username=None, contact=None, one_time_code=None):
        if contact is None or one_time_code is None:
            return None
        try:
            otp.verify(destination=contact, purpose=OneTimeCode.Purpose.LOGIN, code=one_time_code)
        except InvalidInput as exc:
            if request is not None:
                request.one_time_code_problem = exc.fields.get("code") or exc.message
            return None
        user = account_for_contact(contact)
        if user is None and request is not None:
            request.one_time_code_problem = "验证码已失效，请重新获取"
        return user

    def get_user(self, user_id):
        from accounts.models import User

        return User.objects.filter(pk=user_id, is_active=True).first()
