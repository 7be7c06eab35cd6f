"""What every page's view asks of a request or a form: whether htmx sent it, and a form's
problems as the error the pages show in place."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from monev.lib.errors import InvalidInput


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def invalid(form) -> InvalidInput:
    """A form's problems as the error the pages show in place (422)."""
    details = [
        {"location": name, "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]
    return InvalidInput(_("Please correct the marked fields."), details=details)
