"""Refuse an oversized request by its declared length, before anything reads the body."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation


class RequestSizeLimit:
    """A body longer than GETPOWER_MAX_REQUEST_BYTES answers 413 at once: an upload is never
    spooled to disk only to be refused afterwards. The API answers in its error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.GETPOWER_MAX_REQUEST_BYTES
        if length > limit:
            megabytes = limit // (1024 * 1024)
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"code": "too_large",
                                               "message": f"request body is larger than {megabytes} MB",
                                               "fields": {"request": f"at most {megabytes} MB"}}}, status=413)
            return HttpResponse(f"请求内容超过 {megabytes} MB，请缩小文件后重试。".encode(), status=413,
                                content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class DomainErrorPages:
    """A page view that lets a Forbidden or NotFound from an action or a read escape answers
    403 or 404, never 500 (the API has its own handlers in getpower/api.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.http import Http404
        from django.views.defaults import page_not_found, permission_denied

        from core.errors import Forbidden, NotFound

        if isinstance(exception, Forbidden):
            return permission_denied(request, exception)
        if isinstance(exception, NotFound):
            return page_not_found(request, Http404(exception.message))
        return None


class ChineseFirstLocaleMiddleware:
    """Chinese first: every page is written in Chinese, so the language is 中文 unless the reader
chose English themselves (the language cookie set by /i18n/setlang/). A browser's
Accept-Language alone must not switch Django's own messages (password rules, form
validation) to English on a Chinese page."""
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response
