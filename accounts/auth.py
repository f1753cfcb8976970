"""API authentication: the browser session or a bearer token."""
import hashlib
from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from accounts.models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        now = timezone.now()
        record = (ApiToken.objects.select_related("user")
                  .filter(key_digest=digest, revoked=False, expires_at__gt=now).first())
        if record is None or not record.user.is_active:
            return None
        # "Last used" to the minute is enough: no write on every request of a busy integration.
        if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


API_AUTH = [TokenAuth(), django_auth]
