"""API authentication: the browser session or a bearer token."""
import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from accounts.models import ApiToken
from core.readcache import TIMEOUT_SECONDS, log_head

LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        now = timezone.now()
        # A read may reuse the token's row while the log's head stays put: revoking a token,
        # deactivating or changing its user all write events. Expiry is checked every time.
        key = f"token:{digest}:{log_head(request)}" if request.method == "GET" and settings.READ_CACHE else None
        record = cache.get(key) if key else None
        if record is None:
            record = (ApiToken.objects.select_related("user")
                      .filter(key_digest=digest, revoked=False, expires_at__gt=now).first())
            if record is not None and key:
                cache.set(key, record, TIMEOUT_SECONDS)
        if record is None or record.expires_at <= now or not record.user.is_active:
            return None
        # "Last used" to the minute is enough: no write on every request of a busy integration.
        if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
            record.last_used_at = now
            if key:
                cache.set(key, record, TIMEOUT_SECONDS)
        request.user = record.user
        return record.user


API_AUTH = [TokenAuth(), django_auth]
