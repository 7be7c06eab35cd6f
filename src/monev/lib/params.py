"""Integers from query strings and form fields, for the pages; and the pages' old query names.

`str.isdigit()` followed by `int()` was the pattern, and it fails both ways: "²" is a digit to
isdigit() and no number to int() (a 500), and 99999999999999999999 is a number no database
column holds. Here a number is ASCII digits, at most as many as an id in a URL has
(monev.lib.converters), else it is absent (None) - a filter that names nothing."""

from __future__ import annotations

import re
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils.encoding import escape_uri_path

from monev.lib.converters import ID_DIGITS

NUMBER = re.compile(rf"[0-9]{{1,{ID_DIGITS}}}")


def number_param(value) -> int | None:
    """A non-negative integer written in ASCII digits (at most 18), else None."""
    text = str(value if value is not None else "").strip()
    return int(text) if NUMBER.fullmatch(text) else None


def id_param(value) -> int | None:
    """An id (1 or more) from a query string or form field, else None."""
    number = number_param(value)
    return number if number else None


# --- the pages' old query names ------------------------------------------------------------

# The pages once named their query parameters in Indonesian where the API says the same in
# English (issue 16: one vocabulary). Links and bookmarks with the old names keep working: a
# view that used them redirects such a GET once, permanently, to the API's names.
OLD_NAMES = {
    "tahun": "year",
    "instrumen": "instrument",
    "jenis": "kind",
    "provinsi": "province",
    "sumber": "source",
    "urut": "sort",
    "halaman": "page",
    "instansi": "institution_id",
    "tahap": "stage",
    "periode": "period_id",
    "pada": "as_of",
    "unit": "unit_id",  # the evidence library only: the answers overview says `unit` too
}


def renamed_query(query_string: str, old_names: dict[str, str]) -> str | None:
    """The query string with the old names replaced by the new ones, every parameter in its
    place; None when it has no old name. A parameter already given by its new name wins over
    the old one (which is dropped)."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if not any(name in old_names for name, _value in pairs):
        return None
    given = {name for name, _value in pairs}
    renamed = [
        (old_names.get(name, name), value)
        for name, value in pairs
        if name not in old_names or old_names[name] not in given
    ]
    return urlencode(renamed)


def old_query_names(*names: str):
    """Decorator of a page that used to read `names` (keys of OLD_NAMES) from its query
    string: a GET or HEAD naming any of them answers 301 to the same path with the new names
    (the other parameters kept, in their order)."""
    old_names = {name: OLD_NAMES[name] for name in names}

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                query = renamed_query(request.META.get("QUERY_STRING", ""), old_names)
                if query is not None:
                    path = escape_uri_path(request.path) + (f"?{query}" if query else "")
                    return HttpResponsePermanentRedirect(path)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
