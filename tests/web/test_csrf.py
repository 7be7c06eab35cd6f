"""CSRF everywhere: every URL of the site, posted to by a signed-in browser without the CSRF
token, is refused before any view runs; the API refuses session calls without the token and
accepts token calls (no cookie is involved, so no CSRF is possible)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from api_support import Api

pytestmark = pytest.mark.django_db

UNSAFE_METHODS = ("post", "put", "patch", "delete")
SAMPLE = {
    "int": "1",
    "id": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
}
CONVERTER = re.compile(r"<(?:(?P<converter>[^:>]+):)?(?P<name>\w+)>")
API_PREFIX = "api/v1/"
API_PARAMETER = re.compile(r"\{[^}]+\}")
# Probes answer before sessions exist (monev/web/health.py) and accept GET only.
PROBES = {"/healthz", "/healthz/", "/readyz", "/readyz/"}


def route_of(pattern) -> str | None:
    """The route of a path() pattern with sample values in place of its parameters; None for
    regex patterns (only Django's admin uses them; it is covered by the admin URLs below)."""
    route = getattr(pattern.pattern, "_route", None)
    if route is None:
        return None
    return CONVERTER.sub(lambda match: SAMPLE.get(match["converter"] or "str", "x"), route)


def site_urls(resolver=None, prefix: str = "") -> list[str]:
    """Every page URL of the site (the API and the admin apart)."""
    urls = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = route_of(pattern)
        if route is None:
            continue
        if isinstance(pattern, URLResolver):
            if (prefix + route).startswith((API_PREFIX, "admin/")):
                continue
            urls += site_urls(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            urls.append("/" + prefix + route)
    return urls


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every API operation that changes something."""
    from monev.api import api

    operations = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    if method.lower() in UNSAFE_METHODS:
                        full = "/api/v1" + (prefix + path).replace("//", "/")
                        operations.append((method.lower(), API_PARAMETER.sub("1", full)))
    return operations


def test_the_walk_sees_every_page_that_changes_something():
    urls = site_urls()
    for expected in ("/masuk/", "/keluar/", "/i18n/setlang/", "/akun/token/"):
        assert any(url.startswith(expected) for url in urls), expected
    assert len(urls) > 50
    assert len(api_operations()) > 20


def test_a_signed_in_browser_cannot_post_to_any_page_without_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.koordinator)
    not_refused = []
    for url in site_urls():
        for method in UNSAFE_METHODS:
            response = getattr(browser, method)(url)
            if url in PROBES and response.status_code == 405:
                continue
            if response.status_code != 403:
                not_refused.append((method.upper(), url, response.status_code))
    assert not_refused == []


def test_the_admin_refuses_posts_without_the_csrf_token(world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.admin)
    for url in ("/admin/login/", "/admin/logout/", "/admin/accounts/user/add/"):
        assert browser.post(url).status_code == 403, url


def test_a_page_post_with_the_token_gets_through(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.koordinator)
    browser.get("/akun/token/")
    token = browser.cookies["csrftoken"].value
    response = browser.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_api_session_calls_without_the_csrf_token_are_refused(world):
    api = Api.session(world.koordinator, enforce_csrf_checks=True)
    not_refused = []
    for method, path in api_operations():
        response = api.call(method, path.removeprefix("/api/v1"), {})
        if response.status_code == 415:  # an upload: the same call as a form
            response = api.client.post(path, {"dry_run": "true"})
        if response.status_code != 403 and not public_operation(method, path):
            not_refused.append((method.upper(), path, response.status_code))
        if response.status_code == 403:
            assert response.json()["error"]["code"] in ("csrf_failed", "forbidden"), path
    assert not_refused == []


def public_operation(method: str, path: str) -> bool:
    """Operations that need no sign-in (scoring a hypothetical set of answers): no session is
    used, so there is nothing for a forged request to borrow."""
    return path.startswith("/api/v1/instruments/")


def test_api_token_calls_need_no_csrf_token(world):
    # (Not POST /tokens: a token may not make tokens, tests/accounts/test_api_tokens.py.)
    api = Api.token(world.operator, enforce_csrf_checks=True)
    response = api.post(f"/answers/{world.answer('1').pk}/comments", {"body": "Mohon dicek"})
    assert response.status_code == 201, response.content
    session = Api.session(world.koordinator, enforce_csrf_checks=True)
    refused = session.post("/tokens", {"name": "otomasi"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
