"""/api/v1/docs works offline: the page references only this site's own static files, which
the build installs (Makefile: npm pack swagger-ui-dist); and only staff are shown the link."""
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from core.apidocs import FILES

pytestmark = pytest.mark.django_db
DOCS = "/api/v1/docs"


def references(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]*)"', page)


def test_the_docs_page_uses_only_local_static_files():
    response = Client().get(DOCS)
    assert response.status_code == 200
    page = response.content.decode()
    urls = references(page)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert not re.search(r"https?://|cdn", page, re.I)
    for name in (*FILES, "core/api-docs.js"):
        assert f"/static/{name}" in urls
    # Every script is a file of ours (the settings are JSON data, not code): the CSP allows nothing else.
    assert all('src="/static/' in tag or 'type="application/json"' in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    settings = json.loads(re.search(r'id="swagger-settings"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert settings["url"] == "/api/v1/openapi.json"
    assert Client().get(settings["url"]).status_code == 200


def test_the_build_installed_swagger_ui():
    for name in FILES:
        found = finders.find(name)
        assert found, f"{name} is missing: `make install` vendors Swagger UI (npm pack swagger-ui-dist)"
        with open(found, "rb") as f:
            assert len(f.read()) > 10_000  # the real bundle, not an empty placeholder
    assert finders.find("core/vendor/swagger-ui/swagger-ui-LICENSE")


def api_linked(page: str) -> bool:
    return DOCS in references(page)


def test_applicants_and_visitors_are_not_shown_the_api_link(world):
    visitor = Client()
    assert not api_linked(visitor.get("/").content.decode())
    assert not api_linked(visitor.get("/policies/").content.decode())
    applicant = Client()
    applicant.force_login(world.alice)
    for path in ("/", "/me/", "/policies/"):
        assert not api_linked(applicant.get(path).content.decode()), path


@pytest.mark.parametrize("who", ["bob", "rita", "root"])
def test_staff_are_shown_the_api_link(world, who):
    staff = Client()
    staff.force_login(getattr(world, who))
    assert api_linked(staff.get("/").content.decode())
    assert api_linked(staff.get("/policies/").content.decode())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_with_the_network_cut_off(page, live_server):
    outside = []

    def only_this_site(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", only_this_site)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(DOCS)
    page.locator(".swagger-ui .info .title").wait_for()
    assert "getpower API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10  # the operations, read from our openapi.json
    assert not outside and not errors, (outside, errors)
