"""The CSV readers of the pure core (scores, and the planner's efforts) on hostile or absurd
input (issue 14, finding 8): limits on size, rows and field length, each one clear problem;
echoed input clipped and with control characters escaped; only ASCII digits are numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.core.csvinput import CsvInputError, parse, score_bytes
from monev.core.numbers import NotExact, parse_decimal, to_fraction
from monev.core.planner import read_efforts

HEADER = b"indicator,level\n"
EFFORT_HEADER = b"indicator,to_level,effort\n"
NON_ASCII_THREES = ["\u0663", "\u06f3", "\uff13", "\u07c3", "\u09e9", "\U0001d7d1"]


def refused(call, *args) -> list[tuple[int | None, str]]:
    with pytest.raises(CsvInputError) as caught:
        call(*args)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def test_a_file_larger_than_1_mib_is_refused_before_it_is_read():
    data = HEADER + b"1,3\n" * 300_000
    assert len(data) > 1_048_576
    expected = [
        (
            None,
            "the file is larger than 1 MiB (1,048,576 bytes), far more than one row per "
            "indicator; nothing was read",
        )
    ]
    assert refused(parse, data) == expected
    assert refused(read_efforts, None, EFFORT_HEADER + b"1,2,1\n" * 200_000) == expected


def test_more_than_1000_rows_stop_the_reading_with_one_problem(spbe2020):
    message = "more than 1,000 rows, far more than one row per indicator; reading stopped here"
    assert refused(parse, HEADER + b"1,3\n" * 1_001) == [(1_002, message)]
    assert refused(parse, HEADER + b"\n\n" + b"1,3\n" * 1_001) == [(1_004, message)]
    # 1,000 rows are read (and found to be duplicates).
    problems = refused(score_bytes, spbe2020, HEADER + b"1,3\n" * 1_000)
    assert len(problems) == 999
    efforts = EFFORT_HEADER + b"1,2,1\n" * 1_001
    assert refused(read_efforts, spbe2020, efforts) == [(1_002, message)]


def test_a_field_longer_than_csv_reads_is_one_problem_on_its_line(spbe2020):
    message = "a field is longer than 131,072 characters; reading stopped here"
    assert refused(parse, HEADER + b"1,3\n2," + b"3" * 131_073 + b"\n") == [(3, message)]
    quoted = HEADER + b'1,"3\n' + b"3" * 131_073 + b'"\n'  # a quoted field over two lines
    assert refused(parse, quoted) == [(3, message)]
    efforts = EFFORT_HEADER + b"1,2," + b"1" * 140_000 + b"\n"
    assert refused(read_efforts, spbe2020, efforts) == [(2, message)]


def test_a_header_longer_than_csv_reads_is_one_problem():
    message = "a field is longer than 131,072 characters; reading stopped here"
    assert refused(parse, b"i" * 140_000 + b",level\n1,3\n") == [(1, message)]


def test_echoed_input_has_control_characters_escaped_and_is_clipped():
    scores = parse(HEADER + b"1,3\x00\n2,\x1b[31m\n3," + b"7x" * 2_500 + b"\n4,3,\t\x07x\n")
    messages = [problem.message for problem in scores.problems]
    assert messages == [
        "indicator 1: 3\\x00 is not a number",
        "indicator 2: \\x1b[31m is not a number",
        f"indicator 3: {'7x' * 20}… is not a number",
        "expected 2 columns, found 3: 4,3,\\x07x",
    ]


def test_a_key_too_long_to_be_a_number_or_code_is_unknown_and_clipped():
    scores = parse(HEADER + b"1" * 300 + b",3\n" + b"A\x00" * 30 + b",3\n")
    escaped = "A\\x00" * 20  # the first 40 characters, then escaped
    assert [problem.message for problem in scores.problems] == [
        f"unknown indicator {'1' * 40}…",
        f"unknown indicator {escaped}…",
    ]


def test_a_wrong_header_is_echoed_escaped_and_clipped():
    problems = refused(parse, b"\x1bindicator,level" + b"x" * 100 + b"\n1,3\n")
    assert problems == [
        (
            1,
            "the header must be indicator,level or aspect,score or domain,score; found "
            f"\\x1bindicator,level{'x' * 24}…",
        )
    ]


@pytest.mark.parametrize("three", NON_ASCII_THREES)
def test_only_ascii_digits_are_numbers(three):
    for text in (three, f"{three}.5", f"1.{three}", f"-{three}"):
        with pytest.raises(NotExact):
            parse_decimal(text)
        with pytest.raises(NotExact):
            to_fraction(text)
    with pytest.raises(NotExact):
        to_fraction(f"10/{three}")
    assert parse_decimal("3") == Decimal(3)


@pytest.mark.parametrize("three", NON_ASCII_THREES)
def test_a_scores_file_takes_only_ascii_digits(three):
    scores = parse(HEADER + f"1,{three}\n".encode())
    assert [problem.message for problem in scores.problems] == [
        f"indicator 1: {three} is not a number"
    ]
    assert scores.values == {}


@pytest.mark.parametrize("three", NON_ASCII_THREES)
def test_an_effort_file_takes_only_ascii_digits(spbe2020, three):
    data = EFFORT_HEADER + f"1,{three},1\n2,3,{three}\n".encode()
    assert refused(read_efforts, spbe2020, data) == [
        (2, f"indicator 1: to_level {three} must be a whole level 2-5"),
        (3, f"indicator 2: effort {three} must be a number, 0 or more"),
    ]
