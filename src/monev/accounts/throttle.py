"""How django-axes throttles password sign-in (settings AXES_*; docs/security.md).

Two limits: MONEV_LOGIN_FAILURE_LIMIT wrong passwords for one username from one address lock
that pair (django-axes' own lockout), and MONEV_LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords
for any usernames from one address lock that address (LoginThrottleHandler), against password
spraying: one common password tried on many accounts stays under every per-account limit.

Only sign-ins with a password count: single sign-on is throttled by the identity server, and
API tokens never go through Django's authenticate().
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second, higher limit per address.

    Not AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]: axes has one
    failure limit for every parameter set (an office behind one address would be locked after
    five typos), and a successful sign-in would reset everything its address did (an attacker
    with one account of their own could clear the count at will). Here the attempts stay
    recorded per username and address, a success resets only its own username's, and the
    address's sum is compared with its own limit."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if address_locked(request):
            request.monev_address_locked = True
            # Reported as the per-account limit reached: axes compares with that one.
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request) -> int:
    """Wrong passwords from the request's address within the cool-off, for any username."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request) -> bool:
    limit = settings.MONEV_LOGIN_ADDRESS_FAILURE_LIMIT
    return limit > 0 and address_failures(request) >= limit


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
    by_address = getattr(request, "monev_address_locked", False)
    context = {
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "by_address": by_address,
        "failure_limit": (
            settings.MONEV_LOGIN_ADDRESS_FAILURE_LIMIT
            if by_address
            else settings.AXES_FAILURE_LIMIT
        ),
    }
    return render(request, "registration/locked_out.html", context, status=429)
