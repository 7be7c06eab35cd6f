"""Integers from query strings and form fields, for the pages.

`str.isdigit()` followed by `int()` was the pattern, and it fails both ways: "²" is a digit to
isdigit() and no number to int() (a 500), and 99999999999999999999 is a number no database
column holds. Here a number is ASCII digits, at most as many as an id in a URL has
(monev.lib.converters), else it is absent (None) - a filter that names nothing."""

from __future__ import annotations

import re

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
