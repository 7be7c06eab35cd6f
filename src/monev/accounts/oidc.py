"""The OpenID Connect authentication backend (mozilla-django-oidc), made strict.

mozilla-django-oidc checks the ID token's signature and nonce but not who issued it or for
whom, and matches users by email. This backend also requires the configured issuer, this
client as audience, an expiry and a subject, and hands the verified claims to
monev.accounts.sso, which matches users by issuer + subject.
"""

from __future__ import annotations

import logging

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from monev.accounts import sso

log = logging.getLogger(__name__)

# Seconds of clock difference tolerated between this server and the identity server.
CLOCK_LEEWAY_SECONDS = 60


class SsoBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Listed in AUTHENTICATION_BACKENDS whether or not single sign-on is configured;
        # unconfigured, it reads no OIDC settings and authenticates nobody.
        self.enabled = getattr(settings, "MONEV_OIDC_ENABLED", False)
        if self.enabled:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not self.enabled:
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(
                f"ID token signed with {header.get('alg')!r}, expected {self.OIDC_RP_SIGN_ALGO!r}"
            )
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.MONEV_OIDC_ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences without azp = this client")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub")) != str(payload["sub"]):
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        # The ID token's claims, completed by userinfo (where Keycloak puts mapped groups
        # when they are left out of the token); issuer and subject come from the ID token.
        claims = {**payload, **userinfo, "iss": payload["iss"], "sub": payload["sub"]}
        return sso.sso_sign_in(issuer=settings.MONEV_OIDC_ISSUER, claims=claims)
