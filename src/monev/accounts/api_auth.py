"""How API callers authenticate: a personal token (Authorization: Bearer monev_...), or the
browser session (with its CSRF token, for the pages' own HTMX calls)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from monev.accounts.services import token_for_secret
from monev.lib.errors import Forbidden


class CsrfFailed(Forbidden):
    code = "csrf_failed"


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = token_for_secret(token)
        if found is None:
            return None
        # Kept on the request so that services can tell a token call from a session call
        # (a token may not create tokens).
        request.api_token = found
        request.user = found.user
        return found.user


class SessionAuth(NinjaSessionAuth):
    """The browser session; unsafe methods need the CSRF token. The CSRF check runs only for
    a signed-in session, so that a request with no credentials answers 401, not 403."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except HttpError:
            raise CsrfFailed(
                _("The CSRF token is missing or wrong: reload the page, or use an API token.")
            ) from None


API_AUTH = [TokenAuth(), SessionAuth()]
