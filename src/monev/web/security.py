"""The Content-Security-Policy and the security headers Django does not set itself.

The policy allows only this server's own scripts, styles, images, fonts and connections: the
templates carry no inline script, event-handler attribute or style attribute (a test scans them),
htmx is told not to inject its indicator <style> (base.html's htmx-config), and Chart.js styles
its canvas through the CSSOM, which style-src does not govern. docs/security.md explains each
directive.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

SELF = "'self'"
NONE = "'none'"

# Browser features no page of Monev uses: denied to the page and to anything it could embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# Downloaded files get monev.lib.downloads.FILE_POLICY instead of the page policy: a file opened
# in the browser (an HTML file renamed .pdf, an SVG...) runs no script, has no origin access.


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of an absolute URL, None for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def csp_directives(sso_authorization_endpoint: str | None = None) -> dict[str, list[str]]:
    """The page policy's directives (django-csp 4 format).

    form-action also covers where a form submission is redirected to in Chrome: the single
    sign-on start is a link (GET), not a form, so 'self' would do; the identity provider's
    origin is allowed anyway when SSO is configured, so that a sign-in form posting to
    /oidc/authenticate/ (whose answer redirects there) keeps working in every browser."""
    form_action = [SELF]
    provider = origin_of(sso_authorization_endpoint or "")
    if provider:
        form_action.append(provider)
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": form_action,
        "base-uri": [NONE],
        "object-src": [NONE],
    }


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy and Cross-Origin-Resource-Policy to every response (Django's
    SecurityMiddleware sets nosniff, Referrer-Policy, COOP and HSTS; XFrameOptionsMiddleware
    X-Frame-Options; django-csp the Content-Security-Policy)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
