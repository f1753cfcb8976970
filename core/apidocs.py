"""/api/v1/docs from our own static files: Swagger UI is vendored by the build (Makefile,
`npm pack swagger-ui-dist`, like Chart.js), so the docs work with no network and under our
content security policy (no CDN, no inline script)."""
from __future__ import annotations

from django.shortcuts import render
from ninja.openapi.docs import DocsBase

# Where the build puts Swagger UI (gitignored; `make install` fetches it).
VENDOR = "core/vendor/swagger-ui/"
FILES = (f"{VENDOR}swagger-ui.css", f"{VENDOR}swagger-ui-bundle.js")


class OfflineSwagger(DocsBase):
    settings = {"layout": "BaseLayout", "deepLinking": True, "persistAuthorization": False}

    def render_page(self, request, api, **kwargs):
        return render(request, "core/api_docs.html", {
            "api": api, "css": FILES[0], "bundle": FILES[1],
            "swagger_settings": {**self.settings, "url": self.get_openapi_url(api, kwargs)},
        })
