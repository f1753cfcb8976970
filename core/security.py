"""Response headers every page gets: the content security policy, and `no-store` wherever a
response may carry personal data, so neither a shared proxy nor the browser's back button
keeps an applicant's name, ID number or contract after logging out."""
from __future__ import annotations

from django.conf import settings

# Always personal: contracts, receipts and invoices are PDFs about one applicant.
_PRIVATE_TYPES = ("application/pdf",)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.get("Content-Type", "").startswith(_PRIVATE_TYPES):
            # A signed-in page shows what that person may see; it is never for anyone else.
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
