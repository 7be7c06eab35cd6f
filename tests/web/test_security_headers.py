"""Security headers on pages, API answers, errors and downloads; cookies; HTTPS-only settings
(HSTS, secure cookies) when MONEV_HTTPS is true."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api_support import Api
from monev.evidence import services
from monev.web.security import PERMISSIONS_POLICY

pytestmark = pytest.mark.django_db

GOOD_PDF = Path(__file__).parents[1] / "evidence" / "fixtures" / "good.pdf"

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def assert_security_headers(response) -> None:
    for name, value in HEADERS.items():
        assert response.get(name) == value, (name, response.get(name))
    assert "Content-Security-Policy" in response


def test_permissions_policy_denies_devices_and_location():
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in PERMISSIONS_POLICY


@pytest.mark.parametrize(
    "path", ["/masuk/", "/instrumen/", "/tidak-ada/", "/static/monev/css/monev.css"]
)
def test_pages_and_errors_send_the_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    if path.startswith("/static/"):
        # Static files: served by WhiteNoise in production, before the page middleware.
        assert response["X-Content-Type-Options"] == "nosniff"
        return
    assert_security_headers(response)


def test_signed_in_pages_send_the_headers(client, world):
    client.force_login(world.koordinator)
    assert_security_headers(client.get(reverse("evaluations:periods")))


def test_api_answers_send_the_headers(world):
    assert_security_headers(Api.token(world.koordinator).get("/me"))
    assert_security_headers(Api.anonymous().get("/me"))  # 401
    assert_security_headers(Api.anonymous().get("/instruments"))


def test_downloads_send_the_headers_with_the_file_policy(client, world):
    evidence = services.evidence_upload(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        uploaded=SimpleUploadedFile("good.pdf", GOOD_PDF.read_bytes()),
        unit_id=world.unit_a.pk,
        title="Perwal SPBE",
        kind="peraturan",
    )
    version = evidence.versions.get()
    client.force_login(world.koordinator)
    response = client.get(reverse("evidence:download", args=[version.pk]))
    assert response.status_code == 200
    for name in ("X-Frame-Options", "Referrer-Policy", "Permissions-Policy"):
        assert response[name] == HEADERS[name]
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_the_session_and_csrf_cookies_are_not_readable_by_scripts_nor_sent_cross_site(
    client, world, password
):
    client.get("/masuk/")
    csrf = client.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    response = client.post(
        "/masuk/", {"username": "koordinator", "password": password}, follow=False
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert not session["secure"]  # plain HTTP here; see the HTTPS test below


# A production deployment over HTTPS (settings refuse MONEV_HTTPS with an http:// base URL).
HTTPS = {
    "MONEV_HTTPS": "true",
    "MONEV_BASE_URL": "https://monev.example.go.id",
    "MONEV_ALLOWED_HOSTS": "monev.example.go.id",
}


def settings_under(env: dict[str, str], tmp_path) -> dict:
    """Some settings as computed from a given environment (a fresh interpreter)."""
    names = [
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_HTTPONLY",
    ]
    code = (
        "import json, monev.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MONEV_")}
    environment.update(MONEV_DATA_DIR=str(tmp_path), **env)
    output = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr[-2000:]
    return json.loads(output.stdout.strip().splitlines()[-1])


def test_https_turns_on_hsts_and_secure_cookies(tmp_path):
    secure = settings_under(HTTPS, tmp_path)
    assert secure["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert secure["SESSION_COOKIE_SECURE"] and secure["CSRF_COOKIE_SECURE"]
    assert secure["SECURE_SSL_REDIRECT"]
    plain = settings_under({}, tmp_path)
    assert plain["SECURE_HSTS_SECONDS"] == 0
    assert not plain["SESSION_COOKIE_SECURE"]
    assert plain["SESSION_COOKIE_HTTPONLY"]
    off = settings_under({**HTTPS, "MONEV_HSTS_SECONDS": "0"}, tmp_path)
    assert off["SECURE_HSTS_SECONDS"] == 0


def test_hsts_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/masuk/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
