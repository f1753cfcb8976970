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


def locked_out(request, credentials, *args, **kwargs):
    """django-axes' answer once an account or an address is locked: 429, in 中文, the same
    whether the account exists or not."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"error": {"code": "locked_out", "message": f"登录失败次数过多，请 {minutes} 分钟后再试",
                                       "fields": {}}}, status=429)
    return render(request, "locked_out.html", {"minutes": minutes}, status=429)
