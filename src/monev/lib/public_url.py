"""Absolute links to the site, for what leaves it: workbooks, PDFs, emails.

Their address is the configured public one, MONEV_BASE_URL (required in production, where the
server may sit behind a proxy that the request's host does not name). In development, where it
is usually unset, it is the address the page was asked at - the request's scheme and host,
remembered for the request by `PublicBaseMiddleware` - and outside a request (a command, a
background job) the development server's address.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

DEVELOPMENT_BASE = "http://127.0.0.1:8000"

_request_base: ContextVar[str] = ContextVar("monev_request_base", default="")


def public_base() -> str:
    """The site's public address, without a trailing slash."""
    return settings.MONEV_BASE_URL or _request_base.get() or DEVELOPMENT_BASE


def public_url(path: str) -> str:
    """`path` (from reverse()) as an absolute address at the public base."""
    return public_base() + path


class PublicBaseMiddleware:
    """Remember the request's own base address while it is answered (the host is checked
    against ALLOWED_HOSTS by then: this sits after CommonMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
