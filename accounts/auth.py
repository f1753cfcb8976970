"""API authentication: the browser session or a bearer token."""
import hashlib

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        record = ApiToken.objects.select_related("user").filter(key_digest=digest, revoked=False).first()
        if record is None or not record.user.is_active:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


API_AUTH = [TokenAuth(), django_auth]
