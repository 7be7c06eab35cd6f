"""Single sign-on configuration from the environment, and the role map file's format."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from monev.accounts.oidc_config import oidc_settings
from monev.accounts.sso import RoleGrant, RoleMapError, claim_values, parse_role_map

ISSUER = "https://sso.example.go.id/realms/pemkot"
BASE = {"MONEV_OIDC_ISSUER": ISSUER, "MONEV_OIDC_CLIENT_ID": "monev"}


def test_nothing_set_means_no_single_sign_on():
    assert oidc_settings({}) == {"MONEV_OIDC_ENABLED": False}


def test_endpoints_follow_keycloak_under_the_issuer_unless_named():
    settings = oidc_settings(
        {
            **BASE,
            "MONEV_OIDC_CLIENT_SECRET": "x",
            "MONEV_OIDC_USERINFO_ENDPOINT": "https://sso.example.go.id/me",
        }
    )

    assert settings["OIDC_OP_AUTHORIZATION_ENDPOINT"] == (ISSUER + "/protocol/openid-connect/auth")
    assert settings["OIDC_OP_TOKEN_ENDPOINT"] == ISSUER + "/protocol/openid-connect/token"
    assert settings["OIDC_OP_JWKS_ENDPOINT"] == ISSUER + "/protocol/openid-connect/certs"
    assert settings["OIDC_OP_USER_ENDPOINT"] == "https://sso.example.go.id/me"
    assert settings["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert settings["OIDC_RP_SCOPES"] == "openid email profile"
    assert settings["OIDC_USE_PKCE"] is True
    assert settings["MONEV_OIDC_ROLE_CLAIM"] == "groups"
    assert settings["MONEV_OIDC_ROLE_MAP"] is None
    assert settings["MONEV_OIDC_LINK_BY_EMAIL"] is False


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"MONEV_OIDC_ISSUER": ISSUER}, "MONEV_OIDC_CLIENT_ID"),
        (BASE, "MONEV_OIDC_CLIENT_SECRET"),
        ({**BASE, "MONEV_OIDC_CLIENT_SECRET_FILE": "/nonexistent/secret"}, "cannot read"),
        ({**BASE, "MONEV_OIDC_CLIENT_SECRET": "x", "MONEV_OIDC_SIGN_ALGORITHM": "HS256"}, "HS"),
        ({**BASE, "MONEV_OIDC_CLIENT_SECRET": "x", "MONEV_OIDC_SCOPES": "email"}, "openid"),
        ({**BASE, "MONEV_OIDC_CLIENT_SECRET": "x", "MONEV_OIDC_PKCE": "maybe"}, "true or false"),
    ],
)
def test_an_incomplete_or_unsafe_configuration_stops_startup_with_a_clear_message(env, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        oidc_settings(env)


def test_the_role_map_can_be_yaml_with_one_or_several_grants_per_claim_value():
    role_map = parse_role_map(
        """
/monev/kota-bandung/koordinator:
  institution: kota-bandung
  role: koordinator
bandung-operator-diskominfo:
  - {institution: kota-bandung, role: operator, unit: DISKOMINFO}
  - {institution: kota-bandung, role: asesor_internal}
"""
    )

    assert role_map == {
        "/monev/kota-bandung/koordinator": [RoleGrant("kota-bandung", "koordinator", None)],
        "bandung-operator-diskominfo": [
            RoleGrant("kota-bandung", "operator", "DISKOMINFO"),
            RoleGrant("kota-bandung", "asesor_internal", None),
        ],
    }


def test_the_role_map_can_be_json():
    role_map = parse_role_map('{"g": {"institution": "kota-contoh", "role": "pimpinan"}}')

    assert role_map == {"g": [RoleGrant("kota-contoh", "pimpinan", None)]}


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("{not json", "not valid JSON or YAML"),
        ("- a\n- b\n", "expected a mapping"),
        ("g: {institution: x, role: bupati}", "role 'bupati' is not one of"),
        ("g: {institution: x, role: operator}", "operator grant needs a unit"),
        ("g: {role: koordinator}", "needs an institution and a role"),
        ("g: {institution: x, role: koordinator, units: A}", "unknown keys"),
    ],
)
def test_a_malformed_role_map_is_explained(text, complaint):
    with pytest.raises(RoleMapError, match=complaint):
        parse_role_map(text)


def test_the_role_claim_can_be_a_list_a_string_or_nested():
    claims = {
        "groups": ["/monev/a", "/monev/b"],
        "role": "koordinator",
        "realm_access": {"roles": ["monev-admin", "offline_access"]},
    }

    assert claim_values(claims, "groups") == ["/monev/a", "/monev/b"]
    assert claim_values(claims, "role") == ["koordinator"]
    assert claim_values(claims, "realm_access.roles") == ["monev-admin", "offline_access"]
    assert claim_values(claims, "missing.claim") == []


def test_sso_check_reports_codes_the_database_does_not_know(settings, world, tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text(
        "ok: {institution: kota-contoh, role: operator, unit: A}\n"
        "bad-unit: {institution: kota-contoh, role: operator, unit: Z}\n"
        "bad-institution: {institution: kota-hilang, role: koordinator}\n"
    )
    for key, value in oidc_settings({**BASE, "MONEV_OIDC_CLIENT_SECRET": "x"}).items():
        setattr(settings, key, value)
    settings.MONEV_OIDC_ROLE_MAP = path
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="2 grant"):
        call_command("sso_check", stdout=out, stderr=err)

    assert "3 claim values" in out.getvalue()
    assert "'bad-unit': institution 'kota-contoh' has no unit 'Z'" in err.getvalue()
    assert "'bad-institution': no institution with code 'kota-hilang'" in err.getvalue()


def test_sso_check_says_when_sso_is_off(settings):
    out = StringIO()
    call_command("sso_check", stdout=out)
    assert "off" in out.getvalue()
