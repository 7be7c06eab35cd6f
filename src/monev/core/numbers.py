"""Exact numbers for weights and scores.

Weights and values are read as exact decimals (or, where a regulation divides a weight
evenly, as a fraction such as "10/3"). Weighted means are then kept as exact rationals:
an aspect score like 6/4.5 = 1.3333... has no finite decimal form, and rounding a
finite-precision approximation of such a value can round the wrong way at the boundary
(2.934999...9 would become 2.935 and round up). Only the reported value is rounded, once.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

# ASCII digits only: Python's int() and Decimal() also take other scripts' digits (Arabic-Indic
# "٣", fullwidth "３", ...) as numbers, which no one means in a score, and "$" would let a
# trailing newline through.
PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?\Z")
FRACTION = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*/\s*([0-9]+(?:\.[0-9]+)?)\s*\Z")

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}

# Repeating decimals are written out to this many places in "exact" outputs.
REPEATING_PLACES = 20


class NotExact(ValueError):
    """A number that cannot be taken as exact (a float, an exponent, text)."""


def to_fraction(value: object) -> Fraction:
    """Read an exact number: int, Decimal, Fraction, or a string "1.3" / "10/3"."""
    if isinstance(value, bool):
        raise NotExact("expected a number, got a boolean")
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotExact(f"{value} is not a finite number")
        return Fraction(value)
    if isinstance(value, float):
        raise NotExact("write the number as an exact decimal (a float was given)")
    if isinstance(value, str):
        text = value.strip()
        if PLAIN_DECIMAL.match(text):
            return Fraction(Decimal(text))
        match = FRACTION.match(text)
        if match:
            denominator = Fraction(Decimal(match.group(2)))
            if denominator == 0:
                raise NotExact(f"{value!r} divides by zero")
            return Fraction(Decimal(match.group(1))) / denominator
        raise NotExact(f"{value!r} is not a decimal number such as 1.3 or a fraction such as 10/3")
    raise NotExact(f"expected a number, got {type(value).__name__}")


def is_ascii_digits(text: str) -> bool:
    """Whether `text` is a whole number in ASCII digits ("12"); str.isdigit alone also takes
    "٣" and "³", which int() then reads as 3 or refuses."""
    return text.isascii() and text.isdigit()


def parse_decimal(text: str) -> Decimal:
    """Parse a plain decimal as typed by a person ("3", "2.50"); no exponents, no NaN, and
    ASCII digits only."""
    text = text.strip()
    if not PLAIN_DECIMAL.match(text):
        raise NotExact(f"{text!r} is not a number")
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern already excludes this
        raise NotExact(f"{text!r} is not a number") from error


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def round_fraction(value: Fraction, places: int, mode: str = "half_up") -> Decimal:
    """Round an exact rational to `places` decimals, exactly (no intermediate approximation)."""
    if value < 0:
        return -round_fraction(-value, places, mode)
    scale = 10**places
    scaled = value * scale
    floor, remainder = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * remainder
    exactly_half = twice == scaled.denominator
    rounds_half_up = ROUNDING_MODES[mode] == ROUND_HALF_UP or floor % 2 == 1
    if twice > scaled.denominator or (exactly_half and rounds_half_up):
        floor += 1
    return (Decimal(floor) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def _decimal_exponent(denominator: int) -> int | None:
    """k such that denominator divides 10**k, or None if the decimal repeats."""
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def is_terminating(value: Fraction) -> bool:
    return _decimal_exponent(value.denominator) is not None


def exact_str(value: Fraction) -> str:
    """The exact value as a decimal string: in full when it terminates, else to 20 places."""
    places = _decimal_exponent(value.denominator)
    if places is None:
        return format(round_fraction(value, REPEATING_PLACES), "f")
    scaled = abs(value.numerator) * 10**places // value.denominator
    digits = str(scaled).rjust(places + 1, "0")
    whole, fraction = digits[: len(digits) - places], digits[len(digits) - places :].rstrip("0")
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def to_decimal(value: Fraction, places: int = REPEATING_PLACES) -> Decimal:
    """A Decimal for display or storage: exact if it terminates, else rounded to `places`."""
    return Decimal(exact_str(value)) if is_terminating(value) else round_fraction(value, places)
