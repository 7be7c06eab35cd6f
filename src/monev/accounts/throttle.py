"""How django-axes throttles password sign-in (settings AXES_*; docs/sso.md).

Only sign-ins with a password count: single sign-on is throttled by the identity server, and
API tokens never go through Django's authenticate().
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render


def is_not_password_sign_in(request, credentials) -> bool:
    """Axes' whitelist: the single sign-on callback also calls authenticate(), without a
    password; its failures must not count against (or be blocked by) the password lockout."""
    return not credentials or "password" not in credentials


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind MONEV_PROXY_COUNT reverse proxies, the
    address the outermost of them saw (X-Forwarded-For, counted from the right, because only
    the entries our own proxies appended can be trusted)."""
    proxies = settings.MONEV_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the sign-in form while locked out: the site's own page, in
    the user's language, HTTP 429."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)
