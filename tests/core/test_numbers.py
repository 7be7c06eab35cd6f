"""Exact numbers: reading weights and values, and rounding the reported value once."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal
from fractions import Fraction

import pytest

from monev.core.numbers import (
    ExactDecimal,
    NotExact,
    decimal_places,
    display_value,
    exact_decimal,
    exact_fraction,
    exact_str,
    is_terminating,
    parse_decimal,
    parse_value,
    round_fraction,
    to_decimal,
    to_fraction,
    value_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Fraction(3)),
        (Decimal("1.3"), Fraction(13, 10)),
        (Fraction(10, 3), Fraction(10, 3)),
        ("1.3", Fraction(13, 10)),
        (" 16.5 ", Fraction(33, 2)),
        ("10/3", Fraction(10, 3)),
        (" 20 / 6 ", Fraction(10, 3)),
        ("2.5/0.5", Fraction(5)),
        ("-0.25", Fraction(-1, 4)),
    ],
)
def test_to_fraction_reads_exact_numbers_and_fractions(value, expected):
    assert to_fraction(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (1.3, "float"),
        (True, "boolean"),
        ("1e3", "not a decimal number"),
        ("abc", "not a decimal number"),
        ("1/0", "divides by zero"),
        (Decimal("NaN"), "not a finite number"),
        (Decimal("Infinity"), "not a finite number"),
        (None, "expected a number"),
        ([1], "expected a number"),
    ],
)
def test_to_fraction_refuses_anything_that_is_not_exact(value, fragment):
    with pytest.raises(NotExact, match=fragment):
        to_fraction(value)


def test_to_fraction_keeps_a_decimal_weight_exact_where_a_float_would_not():
    assert to_fraction("1.3") * 10 == 13
    assert Fraction(1.3) * 10 != 13  # the reason floats are refused


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", Decimal("3")), (" 2.50 ", Decimal("2.50")), ("+4", Decimal("4")), ("0", Decimal(0))],
)
def test_parse_decimal_reads_plain_decimals_as_typed(text, expected):
    parsed = parse_decimal(text)
    assert parsed == expected
    assert str(parsed) == str(expected)


@pytest.mark.parametrize("text", ["3,5", "1e2", "NaN", "Infinity", "", " ", "3.", ".5", "1/2"])
def test_parse_decimal_refuses_exponents_nan_commas_and_text(text):
    with pytest.raises(NotExact, match="is not a number"):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "places"),
    [("3", 0), ("2.50", 1), ("1.17", 2), ("1.175", 3), ("300", 0), ("3.000", 0)],
)
def test_decimal_places_counts_significant_decimals(text, places):
    assert decimal_places(Decimal(text)) == places


@pytest.mark.parametrize(
    ("value", "reported"),
    [
        (Fraction("2.935"), "2.94"),
        (Fraction("2.925"), "2.93"),
        (Fraction("2.93475"), "2.93"),
        (Fraction("3.3425"), "3.34"),
        (Fraction("2.675"), "2.68"),
        (Fraction(4, 3), "1.33"),
        (Fraction(5, 3), "1.67"),
        (Fraction(3), "3.00"),
        (Fraction("2.9349999999999999999999999"), "2.93"),
        (Fraction("-2.935"), "-2.94"),
    ],
)
def test_it_rounds_half_up_on_the_reported_value(value, reported):
    result = round_fraction(value, 2)
    assert str(result) == reported


def test_it_rounds_exactly_where_a_float_would_round_the_wrong_way():
    # 2.675 as a float is 2.67499999..., which Python's round() takes down.
    assert round(2.675, 2) == 2.67
    assert round_fraction(Fraction("2.675"), 2) == Decimal("2.68")


@pytest.mark.parametrize(
    ("value", "reported"),
    [(Fraction("2.925"), "2.92"), (Fraction("2.935"), "2.94"), (Fraction("2.9251"), "2.93")],
)
def test_half_even_mode_rounds_ties_to_the_even_digit(value, reported):
    assert str(round_fraction(value, 2, "half_even")) == reported


@pytest.mark.parametrize(("places", "expected"), [(0, "3"), (1, "3.3"), (4, "3.3425")])
def test_round_fraction_gives_exactly_the_requested_places(places, expected):
    assert str(round_fraction(Fraction("3.3425"), places)) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(3), "3"),
        (Fraction(7, 2), "3.5"),
        (Fraction("3.3425"), "3.3425"),
        (Fraction("2.93475"), "2.93475"),
        (Fraction(1, 1000), "0.001"),
        (Fraction(-1, 4), "-0.25"),
        (Fraction(1, 3), "0.33333333333333333333"),
        (Fraction(4, 3), "1.33333333333333333333"),
        (Fraction(24, 11), "2.18181818181818181818"),
        (Fraction(2, 3), "0.66666666666666666667"),
    ],
)
def test_exact_str_writes_terminating_values_in_full_and_repeating_ones_to_20_places(value, text):
    assert exact_str(value) == text


def test_is_terminating_tells_finite_decimals_from_repeating_ones():
    assert is_terminating(Fraction(1, 8))
    assert is_terminating(Fraction(13, 10))
    assert not is_terminating(Fraction(1, 3))
    assert not is_terminating(Fraction(10, 3))


def test_to_decimal_is_exact_when_it_terminates_and_rounded_otherwise():
    assert to_decimal(Fraction("3.3425")) == Decimal("3.3425")
    assert to_decimal(Fraction(1, 3), places=4) == Decimal("0.3333")


# --- exact indicator values (issue 15) ---------------------------------------------------------


def test_seven_sixths_is_a_decimal_that_keeps_its_exact_fraction():
    value = parse_value("7/6")
    assert isinstance(value, ExactDecimal)
    assert str(value) == "1.1666666667"  # ten places, for columns and display
    assert value == Fraction(7, 6) and Fraction(value) == Fraction(7, 6)
    assert exact_fraction(value) == Fraction(7, 6)
    # 1.1666666667 is another value, given to ten places: not 7/6.
    assert value != Decimal("1.1666666667")
    assert Decimal("1.1666666667") > value > Decimal("1.1666666666")
    assert hash(value) == hash(Fraction(7, 6))


def test_an_exact_decimal_survives_pickling_and_copying():
    value = parse_value("7/6")
    assert pickle.loads(pickle.dumps(value)).fraction == Fraction(7, 6)  # noqa: S301 - our own bytes
    assert copy.deepcopy(value) is value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", Decimal("3")),
        ("2.50", Decimal("2.50")),
        ("1.1666666667", Decimal("1.1666666667")),
        ("5/4", Decimal("1.25")),  # a fraction with a short decimal form is that decimal
        (" 13 / 12 ", Fraction(13, 12)),
    ],
)
def test_parse_value_reads_decimals_and_fractions_exactly(text, expected):
    assert exact_fraction(parse_value(text)) == expected


def test_a_fraction_with_a_short_decimal_form_is_a_plain_decimal():
    assert type(parse_value("5/4")) is Decimal


@pytest.mark.parametrize("text", ["7/0", "1/", "/6", "7/6/2", "1.5/2", "٧/٦", "1e2", "-7/6", ""])
def test_parse_value_refuses_what_is_not_a_decimal_or_a_fraction_of_whole_numbers(text):
    with pytest.raises(NotExact):
        parse_value(text)


def test_value_text_writes_a_value_so_that_it_reads_back_exactly():
    assert value_text(parse_value("7/6")) == "7/6"
    assert value_text(Fraction(5, 4)) == "1.25"
    assert value_text(Decimal("2.50")) == "2.50"
    for text in ("7/6", "1.1666666667", "3", "41/30"):
        value = parse_value(text)
        assert exact_fraction(parse_value(value_text(value))) == exact_fraction(value)


def test_exact_decimal_keeps_a_value_of_up_to_ten_places_as_a_plain_decimal():
    assert type(exact_decimal(Fraction(1, 1024))) is Decimal  # 0.0009765625
    assert isinstance(exact_decimal(Fraction(1, 2048)), ExactDecimal)  # eleven places


def test_display_value_rounds_once_to_two_places_and_keeps_shorter_values():
    assert display_value(parse_value("7/6")) == Decimal("1.17")
    assert display_value(Decimal("1.1666666667")) == Decimal("1.17")
    assert display_value(Decimal("1.125")) == Decimal("1.13")  # half up
    assert str(display_value(Decimal("3"))) == "3"
    assert str(display_value(Decimal("2.50"))) == "2.50"
