"""How API callers authenticate: a personal token (Authorization: Bearer monev_...), or the
browser session (with its CSRF token, for the pages' own HTMX calls)."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from monev.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [TokenAuth(), SessionAuth()]
