"""OpenID Connect settings, read from MONEV_OIDC_* environment variables (docs/sso.md).

Pure: takes the environment, returns the Django settings mozilla-django-oidc and Monev read.
Single sign-on is on only when an issuer and a client id are both set; otherwise the returned
settings say so and nothing OIDC appears.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from monev.lib.environment import envbool, envsecret

# Keycloak's layout of the endpoints under a realm's issuer URL; another provider names its
# endpoints explicitly with MONEV_OIDC_AUTHORIZATION_ENDPOINT and the like.
KEYCLOAK_PATHS = {
    "AUTHORIZATION": "/protocol/openid-connect/auth",
    "TOKEN": "/protocol/openid-connect/token",
    "USERINFO": "/protocol/openid-connect/userinfo",
    "JWKS": "/protocol/openid-connect/certs",
}
SUPPORTED_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256")


def oidc_settings(env: Mapping[str, str]) -> dict:
    """The OIDC_* and MONEV_OIDC_* Django settings for this environment."""
    issuer = (env.get("MONEV_OIDC_ISSUER") or "").strip().rstrip("/")
    client_id = (env.get("MONEV_OIDC_CLIENT_ID") or "").strip()
    if not issuer and not client_id:
        return {"MONEV_OIDC_ENABLED": False}
    if not issuer or not client_id:
        raise ImproperlyConfigured(
            "Single sign-on needs both MONEV_OIDC_ISSUER and MONEV_OIDC_CLIENT_ID"
        )
    secret = envsecret("MONEV_OIDC_CLIENT_SECRET", env)
    if not secret:
        raise ImproperlyConfigured(
            "MONEV_OIDC_CLIENT_SECRET (or MONEV_OIDC_CLIENT_SECRET_FILE) is required with "
            "MONEV_OIDC_ISSUER: Monev is a confidential client"
        )
    endpoints = {
        name: (env.get(f"MONEV_OIDC_{name}_ENDPOINT") or "").strip() or issuer + path
        for name, path in KEYCLOAK_PATHS.items()
    }
    algorithm = (env.get("MONEV_OIDC_SIGN_ALGORITHM") or "RS256").strip().upper()
    if algorithm not in SUPPORTED_ALGORITHMS:
        raise ImproperlyConfigured(
            f"MONEV_OIDC_SIGN_ALGORITHM must be one of {', '.join(SUPPORTED_ALGORITHMS)}, "
            f"not {algorithm!r} (shared-secret HS* signatures are not accepted)"
        )
    scopes = " ".join((env.get("MONEV_OIDC_SCOPES") or "openid email profile").split())
    if "openid" not in scopes.split():
        raise ImproperlyConfigured("MONEV_OIDC_SCOPES must include openid")
    role_map = (env.get("MONEV_OIDC_ROLE_MAP") or "").strip()
    try:
        timeout = int(env.get("MONEV_OIDC_TIMEOUT_SECONDS") or 10)
    except ValueError:
        raise ImproperlyConfigured("MONEV_OIDC_TIMEOUT_SECONDS must be a whole number") from None
    ca_bundle = (env.get("MONEV_OIDC_CA_BUNDLE") or "").strip()
    return {
        "MONEV_OIDC_ENABLED": True,
        "MONEV_OIDC_ISSUER": issuer,
        "MONEV_OIDC_ROLE_CLAIM": (env.get("MONEV_OIDC_ROLE_CLAIM") or "groups").strip(),
        "MONEV_OIDC_ROLE_MAP": Path(role_map) if role_map else None,
        "MONEV_OIDC_LINK_BY_EMAIL": envbool("MONEV_OIDC_LINK_BY_EMAIL", False, env),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": endpoints["AUTHORIZATION"],
        "OIDC_OP_TOKEN_ENDPOINT": endpoints["TOKEN"],
        "OIDC_OP_USER_ENDPOINT": endpoints["USERINFO"],
        "OIDC_OP_JWKS_ENDPOINT": endpoints["JWKS"],
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SIGN_ALGO": algorithm,
        "OIDC_RP_SCOPES": scopes,
        "OIDC_USE_PKCE": envbool("MONEV_OIDC_PKCE", True, env),
        "OIDC_TOKEN_USE_BASIC_AUTH": envbool("MONEV_OIDC_TOKEN_BASIC_AUTH", False, env),
        "OIDC_TIMEOUT": timeout,
        "OIDC_VERIFY_SSL": ca_bundle or True,
        "OIDC_CREATE_USER": True,
        "LOGIN_REDIRECT_URL_FAILURE": "login",
    }
