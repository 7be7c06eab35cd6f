"""Sessions end (a working day after sign-in by default), passwords are at least 12
characters, and the MONEV_* variables for these, for sign-in throttling and for single sign-on
are read as documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone


def sign_in(client, password: str):
    response = client.post("/masuk/", {"username": "operator", "password": password})
    assert response.status_code == 302
    return response


def test_a_session_lasts_eight_hours_by_default(client, world, password, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False

    response = sign_in(client, password)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 8 * 3600
    assert cookie["httponly"]


def test_an_expired_session_is_signed_out(client, world, password):
    sign_in(client, password)
    assert client.get("/periode/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/periode/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert not get_user(client).is_authenticated


def test_sessions_can_end_when_the_browser_closes(client, world, password, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True

    response = sign_in(client, password)

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""


@pytest.mark.parametrize("short", ["Kdx7#pq2Lm9", "abcdefghijk"])
def test_a_password_shorter_than_twelve_characters_is_refused(short):
    with pytest.raises(ValidationError) as refused:
        validate_password(short)
    assert "password_too_short" in [e.code for e in refused.value.error_list]


def test_a_long_uncommon_password_is_accepted():
    validate_password("Kdx7#pq2Lm9-tambah")


def test_common_and_all_numeric_passwords_are_refused():
    with pytest.raises(ValidationError):
        validate_password("123456789012345")
    with pytest.raises(ValidationError):
        validate_password("qwerty123456")


SETTINGS_PROBE = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "session": settings.SESSION_COOKIE_AGE,
    "browser_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "min_length": [v.get("OPTIONS", {}).get("min_length") for v in
                   settings.AUTH_PASSWORD_VALIDATORS if "MinimumLength" in v["NAME"]][0],
    "limit": settings.AXES_FAILURE_LIMIT,
    "cooloff": settings.AXES_COOLOFF_TIME.total_seconds(),
    "throttle": settings.AXES_ENABLED,
    "sso": settings.MONEV_OIDC_ENABLED,
    "token": getattr(settings, "OIDC_OP_TOKEN_ENDPOINT", None),
    "jwks": getattr(settings, "OIDC_OP_JWKS_ENDPOINT", None),
    "algo": getattr(settings, "OIDC_RP_SIGN_ALGO", None),
    "secret": getattr(settings, "OIDC_RP_CLIENT_SECRET", None),
}))
"""


def probe(tmp_path, **env: str) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MONEV_SESSION", "MONEV_LOGIN", "MONEV_OIDC", "MONEV_PASSWORD"))
    }
    environment.update(MONEV_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="monev.settings", **env)
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", SETTINGS_PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_environment_sets_sessions_passwords_throttling_and_sso(tmp_path):
    secret_file = tmp_path / "oidc_secret"
    secret_file.write_text("from-a-file\n")

    configured = probe(
        tmp_path,
        MONEV_SESSION_HOURS="2",
        MONEV_SESSION_EXPIRE_AT_BROWSER_CLOSE="true",
        MONEV_PASSWORD_MIN_LENGTH="14",
        MONEV_LOGIN_FAILURE_LIMIT="3",
        MONEV_LOGIN_COOLOFF_MINUTES="30",
        MONEV_OIDC_ISSUER="https://sso.example.go.id/realms/pemkot/",
        MONEV_OIDC_CLIENT_ID="monev",
        MONEV_OIDC_CLIENT_SECRET_FILE=str(secret_file),
    )

    assert configured == {
        "session": 7200,
        "browser_close": True,
        "min_length": 14,
        "limit": 3,
        "cooloff": 1800.0,
        "throttle": True,
        "sso": True,
        "token": "https://sso.example.go.id/realms/pemkot/protocol/openid-connect/token",
        "jwks": "https://sso.example.go.id/realms/pemkot/protocol/openid-connect/certs",
        "algo": "RS256",
        "secret": "from-a-file",
    }
    defaults = probe(tmp_path)
    assert (defaults["session"], defaults["min_length"], defaults["limit"]) == (28800, 12, 5)
    assert (defaults["cooloff"], defaults["sso"], defaults["token"]) == (900.0, False, None)
