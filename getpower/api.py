"""The REST API root (/api/v1/): every app contributes a router from its api.py."""
import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from core import readcache
from core.apidocs import OfflineSwagger
from core.errors import DomainError

log = logging.getLogger(__name__)

class GetpowerAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        readcache.remember(request, response)
        return response


api = GetpowerAPI(
    title="getpower API",
    version="1",
    description="获得电力: policies, the legal clock, applications. Errors: {\"error\": {\"code\", \"message\", \"fields\"}}.",
    urls_namespace="api-v1",
    docs_url="/docs",
    docs=OfflineSwagger(),
)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = {}
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] in ("query", "path", "body", "form", "header", "file"):
            loc = loc[1:]
        if len(loc) > 1:
            loc = loc[1:]  # drop the parameter's own name (e.g. "payload"): clients know fields
        name = ".".join(loc) or "request"
        fields.setdefault(name, err.get("msg", "invalid"))
    message = "; ".join(f"{k}: {v}" for k, v in fields.items()) or "invalid request"
    return _error(request, 422, "invalid", message, fields)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return _error(request, 413, "too_large", "request body is larger than the server accepts",
                  {"request": "too large"})


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", str(exc) or "not found")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    log.exception("unexpected API error")
    return _error(request, 500, "server_error", "internal error; it has been logged")


api.add_router("/messages/", "core.api.router")
api.add_router("/workdays/", "workdays.api.router")
api.add_router("/policies/", "policies.api.router")
api.add_router("/applications/", "applications.api.router")
api.add_router("/indicators/", "monitoring.api.router")
api.add_router("/supervision/", "monitoring.feed_api.router")
api.add_router("/complaints/", "complaints.api.router")
api.add_router("/outages/", "outages.api.router")
api.add_router("/approvals/", "approvals.api.router")
api.add_router("/sharing/", "sharing.api.router")
api.add_router("/ledger/", "ledger.api.router")
