"""The <id:...> path converter: a database id in a page URL.

Django's <int:...> matches any number of digits, so /periode/99999999999999999999/ reached
the view and the database, which cannot hold the number (SQLite: OverflowError, a 500). An id
has at most 18 digits here - below 2**63, the range of the databases' integer keys - so a
longer number matches no URL and answers the site's 404 page, like any id that does not
exist."""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

ID_DIGITS = 18


class IdConverter:
    regex = f"[0-9]{{1,{ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    if "id" not in get_converters():
        register_converter(IdConverter, "id")
