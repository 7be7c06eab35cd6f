"""Exact numbers on the planning pages: an exact index in full, a difference with its sign."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils.formats import number_format

from monev.core.numbers import exact_str, round_fraction

register = template.Library()


@register.filter
def exact(value) -> str:
    """An exact rational in full (to 20 places where it repeats)."""
    if value is None or value == "":
        return "—"
    return number_format(Decimal(exact_str(Fraction(value))))


@register.filter
def signed(value, places: int = 2) -> str:
    """A difference rounded to `places` decimals, with its sign (+0.12, -0.05, 0.00)."""
    fraction = Fraction(value)
    rounded = round_fraction(fraction, int(places))
    text = number_format(rounded, decimal_pos=int(places))
    return f"+{text}" if rounded > 0 else text
