"""Numbers as people here read them: localised (3,34 in Bahasa Indonesia), exact when short."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils.formats import number_format

from monev.core.numbers import exact_str, is_terminating, round_fraction
from monev.instruments.predicates import result_predicate_label

register = template.Library()


@register.filter
def exact_number(value: Fraction | Decimal | int | None, places: int = 4) -> str:
    """An exact number in full if it terminates within `places`, else rounded and marked ≈."""
    if value is None or value == "":
        return ""
    fraction = Fraction(value)
    text = exact_str(fraction)
    if is_terminating(fraction) and len(text.partition(".")[2]) <= places:
        return number_format(Decimal(text))
    return "≈" + number_format(round_fraction(fraction, places))


@register.filter
def score(value: Decimal | None) -> str:
    """A reported score with its two decimals kept (3,00 not 3)."""
    if value is None:
        return ""
    places = max(0, -int(value.as_tuple().exponent))
    return number_format(value, decimal_pos=places)


@register.filter
def signed(value, places: int = 2) -> str:
    """A change with its sign, localised: +0,22 and -0,05 in Bahasa Indonesia (not +0.22)."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    text = number_format(abs(value), decimal_pos=places)
    if value > 0:
        return "+" + text
    return ("-" + text) if value < 0 else text


@register.filter
def predicate_label(result) -> str:
    """A scoring result's predicate with what is uncertain about it: "Cukup atau Baik" where
    rounded inputs admit both, the other reading on a contested band edge (issue 15)."""
    return result_predicate_label(result)
