"""Scores from CSV: read strictly, every problem reported with its line number."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.core.csvinput import CsvInputError, CsvProblem, parse, score_bytes, score_file
from monev.core.engine import score_items
from monev.core.loader import load_file
from monev.core.registry import BUILTIN_DIR


def csv_of(values: dict[str, object], header: str = "indicator,level", newline="\n") -> bytes:
    rows = [header, *(f"{key},{value}" for key, value in values.items())]
    return (newline.join(rows) + newline).encode("utf-8")


def all_at(instrument, level) -> dict[str, str]:
    return {item.number: str(level) for item in instrument.scored_items}


def refused(data: bytes, instrument=None, **options) -> list[tuple[int | None, str]]:
    with pytest.raises(CsvInputError) as caught:
        if instrument is None:
            parse(data)
        else:
            score_bytes(instrument, data, **options)
    return [(problem.line, problem.message) for problem in caught.value.problems]


# --- what is accepted ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("indicator,level", "indicator"),
        ("indikator,tingkat", "indicator"),
        ("Indicator,Level", "indicator"),
        (" INDIKATOR , Tingkat ", "indicator"),
        ("aspect,score", "aspect"),
        ("aspek,nilai", "aspect"),
        ("domain,score", "domain"),
        ("domain,nilai", "domain"),
    ],
)
def test_the_header_names_the_kind_of_input_in_english_or_indonesian(header, kind):
    parsed = parse(f"{header}\nX1,3\n".encode())
    assert parsed.kind == kind
    assert parsed.values == {"X1": Decimal(3)}


def test_rows_are_read_with_the_line_each_was_given_on():
    parsed = parse(b"indicator,level\n1,3\n\n2, 4 \n 35.1 ,0\n")
    assert parsed.values == {"1": Decimal(3), "2": Decimal(4), "35.1": Decimal(0)}
    assert parsed.lines == {"1": 2, "2": 4, "35.1": 5}
    assert parsed.problems == ()


def test_a_utf8_byte_order_mark_is_accepted(spbe2020):
    data = b"\xef\xbb\xbf" + csv_of(all_at(spbe2020, 3))
    assert str(score_bytes(spbe2020, data).index) == "3.00"


def test_windows_line_endings_are_accepted(spbe2020):
    data = csv_of(all_at(spbe2020, 3), newline="\r\n")
    parsed = parse(data)
    assert parsed.lines["2"] == 3
    assert str(score_file(spbe2020, parsed).index) == "3.00"


def test_blank_lines_and_blank_rows_are_skipped(spbe2020):
    text = "\n\nindicator,level\n" + "".join(f"{n},3\n\n , \n" for n in range(1, 48))
    parsed = parse(text.encode())
    assert parsed.lines["1"] == 4
    assert str(score_file(spbe2020, parsed).index) == "3.00"


def test_indonesian_headers_score_like_english_ones(spbe2020, mixed_levels):
    english = score_bytes(spbe2020, csv_of(mixed_levels))
    indonesian = score_bytes(spbe2020, csv_of(mixed_levels, header="indikator,tingkat"))
    assert indonesian.index == english.index
    assert str(english.index) == "3.34"


def test_pemdi_takes_two_decimal_values_from_csv(pemdi):
    values = all_at(pemdi, "1.00") | {"1": "1.17", "2": "2.50"}
    result = score_bytes(pemdi, csv_of(values))
    assert result.index.exact == Fraction("1.0835")
    assert str(result.index) == "1.08"


def test_aspect_and_domain_scores_are_scored_from_csv(spbe2018, spbe2020):
    domains = b"domain,score\nD1,3.10\nD2,2.30\nD3,2.18\nD4,3.51\n"
    result = score_bytes(spbe2020, domains)
    assert (result.basis, str(result.index), result.index.exact) == (
        "domains",
        "2.93",
        Fraction("2.93475"),
    )
    aspects = b"aspek,nilai\nA1,3\nA2,3\nA3,3.5\nA4,3\nA5,2.67\nA6,3.57\nA7,3.67\n"
    result = score_bytes(spbe2018, aspects)
    assert (result.basis, str(result.index)) == ("aspects", "3.33")


def test_a_header_with_no_rows_scores_everything_at_the_minimum_when_asked(spbe2020):
    result = score_bytes(spbe2020, b"indicator,level\n", missing="min")
    assert str(result.index) == "1.00"
    assert len(result.filled_with_minimum) == 47


# --- what is refused, with the line -------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n", b"\r\n \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused_naming_the_expected_header(data):
    assert refused(data) == [
        (
            None,
            "the file is empty; expected a header indicator,level or aspect,score or domain,score",
        )
    ]


def test_a_semicolon_separated_file_is_refused_with_a_hint():
    [(line, message)] = refused(b"indicator;level\n1;3\n")
    assert line == 1
    assert message.endswith(
        "found indicator;level (the file uses semicolons: save it as CSV with commas)"
    )


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"nomor,nilai\n1,3\n", "nomor,nilai"),
        (b"1,3\n2,3\n", "1,3"),
        (b"indicator,level,note\n1,3,x\n", "indicator,level,note"),
        (b"\n\nindicator\n", "indicator"),
    ],
)
def test_a_wrong_header_is_refused_with_its_line(data, found):
    [(line, message)] = refused(data)
    assert line == data.count(b"\n", 0, data.index(found.encode())) + 1
    assert message == (
        "the header must be indicator,level or aspect,score or domain,score; found " + found
    )


def test_non_utf8_bytes_are_refused_with_their_line():
    data = b"indicator,level\n1,3\n2,caf\xe9\n"
    assert refused(data) == [(3, "the file is not UTF-8 text; save it as CSV UTF-8")]


def test_non_utf8_bytes_after_a_byte_order_mark_are_refused_with_their_line():
    data = b"\xef\xbb\xbfindicator,level\n\xe9,3\n"
    assert refused(data) == [(2, "the file is not UTF-8 text; save it as CSV UTF-8")]


def test_a_wrong_column_count_is_refused_with_its_line(spbe2020):
    data = csv_of(all_at(spbe2020, 3)) + b"5,3,note\n"
    assert refused(data, spbe2020) == [(49, "expected 2 columns, found 3: 5,3,note")]


def test_a_comma_decimal_is_refused_with_a_hint(pemdi):
    data = csv_of(all_at(pemdi, 1) | {"3": '"3,5"'})
    assert refused(data, pemdi) == [
        (4, "indicator 3: 3,5 is not a number; use a dot as the decimal separator")
    ]


@pytest.mark.parametrize("value", ["tiga", "1e2", "NaN", "-"])
def test_a_value_that_is_not_a_number_is_refused(spbe2020, value):
    data = csv_of(all_at(spbe2020, 3) | {"3": value})
    assert refused(data, spbe2020) == [(4, f"indicator 3: {value} is not a number")]


def test_an_empty_value_and_an_empty_key_are_refused(spbe2020):
    data = csv_of(all_at(spbe2020, 3)) + b",3\n"
    data = data.replace(b"\n7,3\n", b"\n7,\n")
    assert refused(data, spbe2020) == [
        (8, "indicator 7: (empty) is not a number"),
        (49, "the indicator column is empty"),
    ]


def test_a_duplicate_row_is_refused_naming_the_first(spbe2020):
    data = csv_of(all_at(spbe2020, 3)) + b"12,4\n"
    assert refused(data, spbe2020) == [(49, "indicator 12 appears again (first on line 13)")]


def test_an_unknown_indicator_is_refused_with_its_line(spbe2020):
    data = csv_of(all_at(spbe2020, 3) | {"48": 3})
    assert refused(data, spbe2020) == [(49, "unknown indicator 48")]


@pytest.mark.parametrize("value", ["0", "6", "-1"])
def test_a_value_outside_the_scale_is_refused_with_its_line(spbe2020, value):
    data = csv_of(all_at(spbe2020, 3) | {"10": value})
    assert refused(data, spbe2020) == [
        (11, f"indicator 10: value {value} is outside the scale 1-5")
    ]


def test_a_level_that_spbe_2020_does_not_allow_is_refused_with_its_line(spbe2020):
    data = csv_of(all_at(spbe2020, 3) | {"10": "3.5"})
    assert refused(data, spbe2020) == [
        (11, "indicator 10: value 3.5 is not a whole level; spbe-2020 takes whole levels 1-5")
    ]


def test_a_pemdi_value_with_eleven_decimals_is_refused_with_its_line(pemdi):
    data = csv_of(all_at(pemdi, 1) | {"4": "1.16666666667"})
    assert refused(data, pemdi) == [
        (
            5,
            "indicator 4: value 1.16666666667 has more than ten decimals; "
            "give it as a fraction such as 7/6",
        )
    ]


def test_a_pemdi_value_may_be_a_fraction_or_have_ten_decimals(pemdi):
    as_fraction = score_bytes(pemdi, csv_of(all_at(pemdi, 1) | {"13": "7/6"}))
    as_decimal = score_bytes(pemdi, csv_of(all_at(pemdi, 1) | {"13": "1.1666666667"}))
    # Indicator 13 weighs 5 of the index's 100: each value reaches the index unrounded.
    assert as_fraction.index.exact == 1 + Fraction(1, 6) * 5 / 100
    assert as_decimal.index.exact == 1 + Fraction("0.1666666667") * 5 / 100


def test_a_fraction_is_refused_where_the_instrument_takes_whole_levels(spbe2020):
    data = csv_of(all_at(spbe2020, 1) | {"13": "7/6"})
    assert refused(data, spbe2020) == [
        (14, "indicator 13: value 7/6 is not a whole level; spbe-2020 takes whole levels 1-5")
    ]


def test_aspect_scores_are_decimals_not_fractions(pemdi):
    data = b"aspect,score\nA1,7/6\n"
    problems = refused(data, pemdi)
    assert problems[0][0] == 2 and "7/6 is not a number" in problems[0][1]


def test_spbe_2018_indicator_35_is_refused_naming_its_sub_items(spbe2018):
    values = {k: v for k, v in all_at(spbe2018, 3).items() if not k.startswith("35.")}
    data = csv_of(values | {"35": 3})
    problems = refused(data, spbe2018)
    assert (
        36,
        "unknown indicator 35; indicator 35 is scored through its sub-items 35.1, 35.2, 35.3",
    ) in problems
    assert (None, "indicator 35.1 has no value") in problems


def test_missing_indicators_are_refused_without_a_line(spbe2020):
    values = all_at(spbe2020, 3)
    del values["9"], values["31"]
    assert refused(csv_of(values), spbe2020) == [
        (None, "indicator 9 has no value"),
        (None, "indicator 31 has no value"),
    ]


def test_missing_indicators_are_scored_at_the_minimum_when_asked(spbe2020):
    values = all_at(spbe2020, 3)
    del values["9"], values["31"]
    result = score_bytes(spbe2020, csv_of(values), missing="min")
    assert result.filled_with_minimum == ("9", "31")
    assert result.index.exact == Fraction(3) - 2 * Fraction("1.3") / 100 - 2 * Fraction("1.5") / 100


def test_a_header_with_no_rows_is_one_clear_problem(spbe2020):
    problems = refused(b"indicator,level\n", spbe2020)
    assert problems == [
        (
            None,
            "the file has a header but no rows (use --missing min to score all at the minimum)",
        )
    ]


def test_domain_scores_for_pemdi_are_refused(pemdi):
    assert refused(b"domain,score\nD1,3\n", pemdi) == [
        (None, "pemdi-2026 has no domains; give indicator or aspect scores")
    ]


def test_every_problem_is_reported_at_once_in_line_order(spbe2020):
    data = b'indicator,level\n1,3\n2,6\n3,3.5\n48,2\n4,"3,5"\n5,3,3\n1,4\n,3\n' + b"".join(
        f"{n},3\n".encode() for n in range(6, 48)
    )
    assert refused(data, spbe2020) == [
        (3, "indicator 2: value 6 is outside the scale 1-5"),
        (4, "indicator 3: value 3.5 is not a whole level; spbe-2020 takes whole levels 1-5"),
        (5, "unknown indicator 48"),
        (6, "indicator 4: 3,5 is not a number; use a dot as the decimal separator"),
        (7, "expected 2 columns, found 3: 5,3,3 (a decimal comma? write 3.5, not 3,5)"),
        (8, "indicator 1 appears again (first on line 2)"),
        (9, "the indicator column is empty"),
    ]


def test_a_problem_renders_as_source_line_message():
    assert CsvProblem(3, "unknown indicator 48").render("a.csv") == "a.csv:3: unknown indicator 48"
    assert CsvProblem(None, "indicator 9 has no value").render("a.csv") == (
        "a.csv: indicator 9 has no value"
    )


# --- any valid file scores as its values do ------------------------------------------------

SPBE_2020 = load_file(BUILTIN_DIR / "spbe-2020.yaml").instrument


@settings(max_examples=100, deadline=None)
@given(
    levels=st.lists(st.integers(1, 5), min_size=47, max_size=47),
    order=st.permutations(range(47)),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    header=st.sampled_from(["indicator,level", "indikator,tingkat"]),
    blank_every=st.integers(0, 10),
)
def test_any_valid_file_scores_as_its_values_do(levels, order, newline, bom, header, blank_every):
    values = {str(i + 1): Decimal(level) for i, level in enumerate(levels)}
    rows = [header]
    for position, index in enumerate(order):
        if blank_every and position % blank_every == 0:
            rows.append("")
        rows.append(f"{index + 1},{levels[index]}")
    data = ("\ufeff" if bom else "").encode() + (newline.join(rows) + newline).encode()
    assert score_bytes(SPBE_2020, data).index == score_items(SPBE_2020, values).index
