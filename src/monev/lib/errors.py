"""Domain errors raised by services; pages and the API map them to responses in one place.

Messages are in the user's language (lazy translation) because people read them.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: Any, *, details: list[dict] | None = None, **extra: Any):
        super().__init__(str(message))
        self.message = message
        self.details = details or []
        self.extra = extra


class NotFound(DomainError):
    """Also used where the object exists but the caller may not know that it does."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"


class Conflict(DomainError):
    """Someone else saved first; `extra["current"]` holds what they saved."""

    status = 409
    code = "conflict"


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"


class DeadlinePassed(DomainError):
    status = 409
    code = "deadline_passed"
