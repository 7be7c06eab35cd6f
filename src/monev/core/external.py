"""Externally scored indicators (pemdi-2026 5, 6, 7, 18): another agency's index converted
to the indicator's value by the instrument's conversion, kept as data in the file.

Pure: no Django.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from monev.core.model import ConversionMethod, ExternalSource, Indicator, Instrument, Scale
from monev.core.numbers import round_fraction


class ConversionError(ValueError):
    """A source value the conversion cannot take (outside its range, or none is defined)."""


def source_range(external: ExternalSource, scale: Scale) -> tuple[Decimal, Decimal]:
    """The values the other agency's index can take."""
    if external.method == ConversionMethod.LINEAR_BANDS and external.points:
        return external.points[0].source, external.points[-1].source
    return Decimal(scale.min), Decimal(scale.max)


def converts(external: ExternalSource) -> bool:
    """Whether a source value converts by formula (else the value is entered by hand)."""
    return external.method in (ConversionMethod.LINEAR_BANDS, ConversionMethod.DIRECT)


def convert(
    external: ExternalSource, scale: Scale, source_value: Decimal, places: int = 2
) -> Decimal:
    """The indicator value for a value of the other index."""
    low, high = source_range(external, scale)
    if not low <= source_value <= high:
        raise ConversionError(f"{source_value} is outside {low}-{high}")
    if external.method == ConversionMethod.DIRECT:
        return round_fraction(Fraction(source_value), places)
    if external.method != ConversionMethod.LINEAR_BANDS:
        raise ConversionError("this index has no known conversion; enter the value")
    value = Fraction(source_value)
    for lower, upper in pairwise(external.points):
        if lower.source <= source_value <= upper.source:
            share = (value - Fraction(lower.source)) / (
                Fraction(upper.source) - Fraction(lower.source)
            )
            result = Fraction(lower.value) + share * (Fraction(upper.value) - Fraction(lower.value))
            return round_fraction(result, places)
    raise ConversionError(f"{source_value} is outside {low}-{high}")  # unreachable: checked above


def imported_indicator(instrument: Instrument, item_number: str) -> Indicator | None:
    """The indicator, if the item's value is imported from another agency's index."""
    item = instrument.items_by_number.get(item_number)
    if item is None:
        return None
    indicator = instrument.indicators_by_number[item.indicator]
    return indicator if indicator.imported else None
