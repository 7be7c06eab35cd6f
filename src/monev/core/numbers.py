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


# --- exact indicator values ------------------------------------------------------------------

# The national evaluation system (TAUVAL) keeps values to ten decimals; so do our value columns.
EXACT_PLACES = 10
# A value typed as a fraction ("7/6"): whole numbers only, of a sane length.
VALUE_FRACTION = re.compile(r"([0-9]{1,12})\s*/\s*([0-9]{1,12})\Z")


class ExactDecimal(Decimal):
    """A value with no decimal form of EXACT_PLACES places or fewer (7/6 = 1.1666...), as a
    Decimal that carries the exact `fraction`.

    Its Decimal digits are the fraction rounded half up to EXACT_PLACES places: what a column,
    a form or str() sees. Everything exact reads the fraction: comparisons and hashing (so
    ExactDecimal(7/6) == Fraction(7, 6), and != Decimal("1.1666666667"), which is another
    value), Fraction(x) and exact_fraction(x). Arithmetic acts on the rounded digits, as on
    any Decimal: score with exact_fraction().

    Why a Decimal: indicator values travel as Decimals through the engine, the models, the
    forms, the API and the reports; an item judgement of 1 accepted out of 3 is 7/6 and must
    reach the index unrounded without every one of those places learning another type."""

    fraction: Fraction

    def __new__(cls, fraction: Fraction | int) -> ExactDecimal:
        fraction = Fraction(fraction)
        self = super().__new__(cls, round_fraction(fraction, EXACT_PLACES))
        self.fraction = fraction
        return self

    def as_integer_ratio(self) -> tuple[int, int]:
        return self.fraction.numerator, self.fraction.denominator

    def _other(self, other: object) -> Fraction | None:
        if isinstance(other, Decimal) and not other.is_finite():
            return None
        if isinstance(other, int | Fraction | Decimal) and not isinstance(other, bool):
            return exact_fraction(other)
        return None

    def __eq__(self, other: object) -> bool:
        value = self._other(other)
        return value is not None and self.fraction == value

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.fraction)

    def __lt__(self, other):
        value = self._other(other)
        return NotImplemented if value is None else self.fraction < value

    def __le__(self, other):
        value = self._other(other)
        return NotImplemented if value is None else self.fraction <= value

    def __gt__(self, other):
        value = self._other(other)
        return NotImplemented if value is None else self.fraction > value

    def __ge__(self, other):
        value = self._other(other)
        return NotImplemented if value is None else self.fraction >= value

    def __reduce__(self):
        return type(self), (self.fraction,)

    def __copy__(self) -> ExactDecimal:
        return self

    def __deepcopy__(self, memo) -> ExactDecimal:
        return self

    def __repr__(self) -> str:
        return f"ExactDecimal('{self.fraction}')"


def exact_fraction(value: Decimal | Fraction | int) -> Fraction:
    """The exact value of an indicator value: an ExactDecimal's fraction, else the number."""
    if isinstance(value, ExactDecimal):
        return value.fraction
    if isinstance(value, Decimal) and not value.is_finite():
        raise NotExact(f"{value} is not a finite number")
    return Fraction(value)


def exact_decimal(value: Fraction | Decimal | int) -> Decimal:
    """`value` as a Decimal without losing anything: a plain Decimal where it has a decimal form
    of at most EXACT_PLACES places (5/4 -> 1.25), else an ExactDecimal (7/6)."""
    if isinstance(value, ExactDecimal) or (
        isinstance(value, Decimal) and value.is_finite() and decimal_places(value) <= EXACT_PLACES
    ):
        return value
    fraction = exact_fraction(value)
    places = _decimal_exponent(fraction.denominator)
    if places is not None and places <= EXACT_PLACES:
        return Decimal(exact_str(fraction))
    return ExactDecimal(fraction)


def parse_value(text: str) -> Decimal:
    """An indicator value as typed: a plain decimal ("3", "1.1666666667") or a fraction of
    whole numbers ("7/6"), ASCII digits only. A fraction becomes a plain Decimal where it has
    a short decimal form (5/4 -> 1.25), else an ExactDecimal. Whether the instrument allows
    the value is the engine's question (value_problem)."""
    text = text.strip()
    match = VALUE_FRACTION.match(text)
    if match:
        denominator = int(match.group(2))
        if denominator == 0:
            raise NotExact(f"{text!r} divides by zero")
        return exact_decimal(Fraction(int(match.group(1)), denominator))
    try:
        return parse_decimal(text)
    except NotExact:
        raise NotExact(
            f"{text!r} is not a number such as 2.5, 1.1666666667 or a fraction such as 7/6"
        ) from None


def value_text(value: Decimal | Fraction | int) -> str:
    """A value as it can be typed back in and read exactly: "7/6" for an ExactDecimal or a
    fraction without a short decimal form, else the decimal as it is ("2.50")."""
    if isinstance(value, ExactDecimal | Fraction):
        decimal = exact_decimal(value)
        if isinstance(decimal, ExactDecimal):
            return f"{decimal.fraction.numerator}/{decimal.fraction.denominator}"
        value = decimal
    return str(value)


def fraction_text(value: Decimal | None) -> str:
    """What a value column's companion stores: "7/6" for an ExactDecimal, else ""."""
    if isinstance(value, ExactDecimal):
        return f"{value.fraction.numerator}/{value.fraction.denominator}"
    return ""


def display_value(value: Decimal | Fraction, places: int = 2, mode: str = "half_up") -> Decimal:
    """A value for people: as it is where it has at most `places` decimals ("3", "2.50"), else
    rounded once to `places` (7/6 -> 1.17, 1.1666666667 -> 1.17)."""
    if (
        isinstance(value, Decimal)
        and not isinstance(value, ExactDecimal)
        and decimal_places(value) <= places
    ):
        return value
    return round_fraction(exact_fraction(value), places, mode)
