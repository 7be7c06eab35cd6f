"""Externally scored indicators: the conversions kept in the pemdi-2026 file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.core.external import ConversionError, convert, converts


def _external(pemdi, number):
    return next(i for i in pemdi.indicators if i.number == number).external


@pytest.mark.parametrize(
    ("sdi", "value"),
    [
        ("68.75", "3.75"),  # the indicator module's first worked example
        ("25", "2.00"),  # and its second
        ("0", "1.00"),
        ("12.5", "1.50"),
        ("37.5", "2.50"),
        ("62.5", "3.50"),
        ("75", "4.00"),
        ("100", "5.00"),
    ],
)
def test_sdi_converts_linearly_within_the_bands(pemdi, sdi, value):
    assert convert(_external(pemdi, "5"), pemdi.scale, Decimal(sdi)) == Decimal(value)


def test_sdi_interoperability_uses_the_same_bands(pemdi):
    assert convert(_external(pemdi, "18"), pemdi.scale, Decimal("68.75")) == Decimal("3.75")


def test_sjig_is_taken_as_it_is(pemdi):
    assert convert(_external(pemdi, "6"), pemdi.scale, Decimal("3.2")) == Decimal("3.20")


def test_a_value_outside_the_index_range_is_refused(pemdi):
    with pytest.raises(ConversionError):
        convert(_external(pemdi, "5"), pemdi.scale, Decimal("100.01"))
    with pytest.raises(ConversionError):
        convert(_external(pemdi, "6"), pemdi.scale, Decimal("0.5"))


def test_the_statistics_index_has_no_formula_and_is_entered(pemdi):
    external = _external(pemdi, "7")
    assert not converts(external)
    with pytest.raises(ConversionError):
        convert(external, pemdi.scale, Decimal("3"))


def test_ikasandi_indicators_require_a_result_no_older_than_12_months(pemdi):
    for number in ("10", "11", "12"):
        external = _external(pemdi, number)
        assert external.mode == "evidence"
        assert external.max_age_months == 12
