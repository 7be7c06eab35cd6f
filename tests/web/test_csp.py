"""The Content-Security-Policy: the exact header on pages, API and errors; the identity
provider's origin in form-action with SSO; the API docs served from here; and no template
holding what the policy forbids (inline scripts, handler attributes, style attributes,
javascript: URLs, htmx attributes that evaluate code)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from monev.lib.downloads import FILE_POLICY
from monev.web.security import csp_directives

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "monev" / "templates"
# PDF reports are rendered by WeasyPrint on the server, never served as HTML: their <style>
# blocks meet no browser policy.
SERVER_ONLY = ("reports/pdf/",)

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)


def policy_parts(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/masuk/", "/instrumen/", "/api/v1/instruments", "/nope/"])
def test_every_response_carries_the_exact_policy(client, path):
    response = client.get(path)
    assert policy_parts(response["Content-Security-Policy"]) == policy_parts(POLICY)


def test_the_policy_allows_nothing_but_this_server():
    directives = csp_directives()
    assert "'unsafe-inline'" not in str(directives) and "'unsafe-eval'" not in str(directives)
    assert directives["script-src"] == directives["style-src"] == ["'self'"]


def test_with_sso_form_action_also_allows_the_identity_providers_origin():
    endpoint = "https://sso.example.go.id:8443/realms/pemda/protocol/openid-connect/auth"
    directives = csp_directives(endpoint)
    assert directives["form-action"] == ["'self'", "https://sso.example.go.id:8443"]
    assert csp_directives("not a url")["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_the_sso_start_is_a_link_not_a_form(client, settings):
    # form-action governs form submissions (and, in Chrome, their redirects): SSO starts
    # with a GET link, so its redirect to the identity provider is a plain navigation.
    settings.MONEV_OIDC_ENABLED = True
    page = client.get("/masuk/").content.decode()
    assert re.search(r'<a [^>]*href="/oidc/authenticate/', page)
    assert not re.search(r'<form [^>]*action="/oidc/', page)


@pytest.mark.django_db
def test_the_api_docs_load_their_assets_from_this_server(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert policy_parts(response["Content-Security-Policy"]) == policy_parts(POLICY)


@pytest.mark.django_db
def test_the_api_document_has_no_duplicated_keys_for_the_docs_page_to_trip_on(client):
    # Swagger UI reads the document with a YAML parser, which refuses a key given twice.
    duplicated = []

    def pairs_hook(pairs):
        keys = [key for key, _value in pairs]
        duplicated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=pairs_hook)
    assert duplicated == []


def test_files_get_a_sandbox_instead_of_the_page_policy():
    assert FILE_POLICY.split(";")[0] == "sandbox"


# --- the templates -------------------------------------------------------------------------

FORBIDDEN = {
    "inline script": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
    ),
    "inline style block": re.compile(r"<style\b", re.I),
    "event-handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx attribute that evaluates code": re.compile(
        r"\s(?:data-)?hx-(?:on\b|on[:-]|vars\b)|hx-vals\s*=\s*['\"]\s*(?:js|javascript):", re.I
    ),
    "htmx trigger filter (evaluated)": re.compile(r"hx-trigger\s*=\s*['\"][^'\"]*\[", re.I),
}


def browser_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if not str(path.relative_to(TEMPLATES)).startswith(SERVER_ONLY)
    ]


def test_the_scan_sees_the_templates():
    names = {str(path.relative_to(TEMPLATES)) for path in browser_templates()}
    assert "base.html" in names and len(names) > 50


def test_no_template_holds_what_the_policy_forbids():
    found = []
    for path in browser_templates():
        text = path.read_text()
        for what, pattern in FORBIDDEN.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert found == []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<select onchange="this.form.submit()">',
        '<div style="color: red">',
        '<a href="javascript:history.back()">',
        '<button hx-on:click="go()">',
        "<div hx-vals='js:{\"a\": 1}'>",
    ],
)
def test_the_scan_catches_each_kind(snippet):
    assert any(pattern.search(snippet) for pattern in FORBIDDEN.values())


def test_the_scan_lets_external_scripts_through():
    snippet = '<script src="/static/monev/js/page.js" defer></script>'
    assert not any(pattern.search(snippet) for pattern in FORBIDDEN.values())
