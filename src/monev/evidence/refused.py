"""The one exception every content check raises (pure Python, no Django)."""

from __future__ import annotations


class Refused(Exception):
    """The file is not accepted. ``code`` is stable; ``message`` is English, for logs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"Refused({self.code!r}, {self.message!r})"
