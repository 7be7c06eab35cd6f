"""A tiny, real OpenID Connect provider on loopback, laid out like a Keycloak realm.

It serves the authorization endpoint (redirecting straight back with a code for the person the
test chose, as if they had typed their password), the token endpoint (checking the client
secret, the redirect URI and the PKCE verifier), userinfo and the signing keys, over HTTP in a
thread. ID tokens are signed RS256 with a key made for the run. Tests drive the real
mozilla-django-oidc flow against it; `tamper` makes it misbehave in one chosen way.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from monev.accounts.oidc_config import oidc_settings

REALM_PATH = "/realms/monev"
CLIENT_ID = "monev"
CLIENT_SECRET = "s3cret-for-tests"


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def _provider_key():
    return _new_key()  # one per test run: making RSA keys is slow


@dataclass
class Person:
    sub: str
    claims: dict


@dataclass
class Grant:
    person: Person
    nonce: str | None
    redirect_uri: str
    code_challenge: str | None


@dataclass
class Provider:
    server: ThreadingHTTPServer
    key: object = field(default_factory=_provider_key)
    kid: str = "test-key-1"
    person: Person | None = None
    codes: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, Person] = field(default_factory=dict)
    # One misbehaviour at a time: "issuer", "audience", "signature", "expired", "nonce",
    # "userinfo_sub", "token_error".
    tamper: str | None = None
    token_requests: int = 0

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def issuer(self) -> str:
        return self.base_url + REALM_PATH

    def sign_in_as(self, sub: str, **claims) -> None:
        """Who "types their password" at the next authorization request."""
        self.person = Person(sub, {"sub": sub, **claims})

    def env(self, **extra: str) -> dict[str, str]:
        """The MONEV_OIDC_* environment for this provider (endpoints derived, Keycloak-style)."""
        return {
            "MONEV_OIDC_ISSUER": self.issuer,
            "MONEV_OIDC_CLIENT_ID": CLIENT_ID,
            "MONEV_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            **extra,
        }

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            **grant.person.claims,
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "azp": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
        }
        key = self.key
        if self.tamper == "issuer":
            claims["iss"] = self.base_url + "/realms/other"
        elif self.tamper == "audience":
            claims["aud"] = "another-client"
        elif self.tamper == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif self.tamper == "nonce":
            claims["nonce"] = "not-the-nonce"
        elif self.tamper == "signature":
            key = _new_key()  # same kid, another key: the signature cannot verify
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _pkce_matches(challenge: str | None, verifier: str | None) -> bool:
    if challenge is None:
        return verifier is None
    if verifier is None:
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


class _Handler(BaseHTTPRequestHandler):
    provider: Provider  # set on the subclass made per server

    def log_message(self, format, *args):  # quiet: pytest shows failures, not traffic
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        provider = self.provider
        if url.path == REALM_PATH + "/protocol/openid-connect/auth":
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                return self._json(400, {"error": "invalid_request"})
            if "openid" not in query.get("scope", "").split() or provider.person is None:
                return self._json(400, {"error": "invalid_scope"})
            code = secrets.token_urlsafe(16)
            provider.codes[code] = Grant(
                person=provider.person,
                nonce=query.get("nonce"),
                redirect_uri=query["redirect_uri"],
                code_challenge=query.get("code_challenge"),
            )
            target = (
                query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
            )
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return None
        if url.path == REALM_PATH + "/protocol/openid-connect/certs":
            return self._json(200, provider.jwks())
        if url.path == REALM_PATH + "/protocol/openid-connect/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            person = provider.access_tokens.get(token)
            if person is None:
                return self._json(401, {"error": "invalid_token"})
            claims = dict(person.claims)
            if provider.tamper == "userinfo_sub":
                claims["sub"] = "someone-else"
            return self._json(200, claims)
        return self._json(404, {"error": "not_found"})

    def do_POST(self):
        provider = self.provider
        if urlsplit(self.path).path != REALM_PATH + "/protocol/openid-connect/token":
            return self._json(404, {"error": "not_found"})
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        provider.token_requests += 1
        if provider.tamper == "token_error":
            return self._json(500, {"error": "server_error"})
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return self._json(401, {"error": "invalid_client"})
        grant = provider.codes.pop(form.get("code", ""), None)  # a code works once
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or form.get("redirect_uri") != grant.redirect_uri
            or not _pkce_matches(grant.code_challenge, form.get("code_verifier"))
        ):
            return self._json(400, {"error": "invalid_grant"})
        access_token = secrets.token_urlsafe(24)
        provider.access_tokens[access_token] = grant.person
        return self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(grant),
            },
        )


def start_provider() -> Provider:
    handler = type("Handler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider = Provider(server=server)
    handler.provider = provider
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return provider


def configure(settings, provider: Provider, role_map=None, **env: str) -> None:
    """Point the Django settings at this provider, as the environment would."""
    environment = provider.env(**env)
    if role_map is not None:
        environment["MONEV_OIDC_ROLE_MAP"] = str(role_map)
    for key, value in oidc_settings(environment).items():
        setattr(settings, key, value)


def sso_sign_in(client, provider: Provider, query: str = ""):
    """Click "Sign in with SSO", let the provider send the browser back, follow it to Monev's
    callback. Returns the callback's response."""
    start = client.get("/oidc/authenticate/" + query)
    assert start.status_code == 302, start
    assert start["Location"].startswith(provider.issuer + "/protocol/openid-connect/auth?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("http", "testserver", "/oidc/callback/")
    return client.get(f"{back.path}?{back.query}")
