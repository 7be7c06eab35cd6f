"""Scores from a CSV file: `indicator,level`, `aspect,score` or `domain,score`.

The file is read strictly and every problem is reported with its line number, so a
coordinator can fix a spreadsheet export in one pass. A UTF-8 byte-order mark and Windows
line endings are accepted (spreadsheets write them); anything else that is not plain UTF-8
CSV is refused.

Input that is not a scores file at all is refused with one problem, quickly (issue 14): more
than MAX_INPUT_BYTES, more than MAX_ROWS rows, or a field longer than Python's csv module
reads. The input a message repeats is clipped to ECHO_CHARS and its control characters are
escaped (`echo`), so a message is one short, harmless line on a terminal.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from monev.core.engine import (
    InputProblem,
    Missing,
    Result,
    ScoringInputError,
    input_problems,
    score_aspects,
    score_domains,
    score_items,
)
from monev.core.model import Instrument
from monev.core.numbers import NotExact, is_ascii_digits, parse_decimal, parse_value

Kind = Literal["indicator", "aspect", "domain"]

# Accepted headers, by kind; Indonesian headers too, as spreadsheets here are written in it.
HEADERS: dict[tuple[str, str], Kind] = {
    ("indicator", "level"): "indicator",
    ("indikator", "tingkat"): "indicator",
    ("aspect", "score"): "aspect",
    ("aspek", "nilai"): "aspect",
    ("domain", "score"): "domain",
    ("domain", "nilai"): "domain",
}
EXPECTED = "indicator,level or aspect,score or domain,score"

# Limits far above any real file (the largest instrument has 47 indicators; a scores file is a
# few kilobytes), so that a wrong or hostile file is refused at once instead of being read.
MAX_INPUT_BYTES = 1_048_576  # 1 MiB
MAX_ROWS = 1_000  # non-blank rows after the header
MAX_KEY_CHARS = 20  # an indicator number (35.1) or an aspect or domain code (A1, D1)
ECHO_CHARS = 40  # of the input repeated in a message
TOO_LARGE = (
    f"the file is larger than {MAX_INPUT_BYTES // 1_048_576} MiB ({MAX_INPUT_BYTES:,} bytes), "
    "far more than one row per indicator; nothing was read"
)
TOO_MANY_ROWS = (
    f"more than {MAX_ROWS:,} rows, far more than one row per indicator; reading stopped here"
)
# C0 and C1 control characters, DEL, and the bidirectional overrides and isolates that make a
# terminal show text in another order than it is (U+202A-U+202E, U+2066-U+2069).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with its control characters written as escapes, as repr() does (\\x00, \\x1b,
    \\t, \\u202e): input repeated on a terminal cannot move the cursor, recolour it or hide
    what follows."""
    return CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def echo(text: str) -> str:
    """Input as a message repeats it: at most ECHO_CHARS characters (then "…"), printable."""
    if len(text) > ECHO_CHARS:
        text = text[:ECHO_CHARS] + "…"
    return printable(text)


@dataclass(frozen=True)
class CsvProblem:
    line: int | None
    message: str

    def render(self, source: str) -> str:
        return f"{source}:{self.line}: {self.message}" if self.line else f"{source}: {self.message}"


class CsvInputError(ValueError):
    def __init__(self, problems: list[CsvProblem]):
        # Problems on a line first, in file order; then those about the file as a whole.
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        super().__init__("; ".join(p.message for p in self.problems))


@dataclass(frozen=True)
class ScoresFile:
    kind: Kind
    values: dict[str, Decimal]
    lines: dict[str, int]  # the line each key was given on
    problems: tuple[CsvProblem, ...] = ()  # rows that could not be read


def decode(data: bytes) -> str:
    """The file's text; refused whole if it is larger than MAX_INPUT_BYTES or not UTF-8."""
    if len(data) > MAX_INPUT_BYTES:
        raise CsvInputError([CsvProblem(None, TOO_LARGE)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # error.start counts from after a byte-order mark, as does error.object.
        line = error.object.count(b"\n", 0, error.start) + 1
        message = "the file is not UTF-8 text; save it as CSV UTF-8"
        raise CsvInputError([CsvProblem(line, message)]) from None


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of `text`, cells stripped, each with its line number (the last line
    of a row that spans several): the header, then at most MAX_ROWS rows. Past them, or at a
    field longer than the csv module reads (131,072 characters), reading stops with
    CsvInputError: one problem, on its line."""
    rows = csv.reader(io.StringIO(text, newline=""))
    count = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                message = (
                    f"a field is longer than {csv.field_size_limit():,} characters; "
                    "reading stopped here"
                )
            else:  # pragma: no cover - the reader is not strict: no other error is known
                message = f"the file cannot be read as CSV ({error}); reading stopped here"
            raise CsvInputError([CsvProblem(rows.line_num, message)]) from None
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        count += 1
        if count > MAX_ROWS + 1:  # the header, then MAX_ROWS rows
            raise CsvInputError([CsvProblem(rows.line_num, TOO_MANY_ROWS)])
        yield rows.line_num, cells


def parse(data: bytes) -> ScoresFile:
    """Read the header and rows; values checked as numbers, keys for duplicates."""
    text = decode(data)
    if not text.strip():
        raise CsvInputError([CsvProblem(None, f"the file is empty; expected a header {EXPECTED}")])
    problems: list[CsvProblem] = []
    kind: Kind | None = None
    values: dict[str, Decimal] = {}
    lines: dict[str, int] = {}
    for line, cells in csv_rows(text):
        if kind is None:
            header = tuple(cell.lower() for cell in cells)
            kind = HEADERS.get(header) if len(header) == 2 else None  # type: ignore[arg-type]
            if kind is None:
                message = f"the header must be {EXPECTED}; found {echo(','.join(cells))}"
                if len(cells) == 1 and ";" in cells[0]:
                    message += " (the file uses semicolons: save it as CSV with commas)"
                raise CsvInputError([CsvProblem(line, message)])
            continue
        if len(cells) != 2:
            message = f"expected 2 columns, found {len(cells)}: {echo(','.join(cells))}"
            if len(cells) == 3 and is_ascii_digits(cells[1]) and is_ascii_digits(cells[2]):
                message += " (a decimal comma? write 3.5, not 3,5)"
            problems.append(CsvProblem(line, message))
            continue
        key, raw_value = cells
        if not key:
            problems.append(CsvProblem(line, f"the {kind} column is empty"))
            continue
        if len(key) > MAX_KEY_CHARS:
            problems.append(CsvProblem(line, f"unknown {kind} {echo(key)}"))
            continue
        try:
            # An indicator value may be an exact fraction (7/6, pemdi-2026's item values);
            # whether the instrument takes it is the engine's question. Aspect and domain
            # scores are published decimals.
            value = parse_value(raw_value) if kind == "indicator" else parse_decimal(raw_value)
        except NotExact:
            hint = "; use a dot as the decimal separator" if "," in raw_value else ""
            shown = echo(raw_value) if raw_value else "(empty)"
            problems.append(CsvProblem(line, f"{kind} {echo(key)}: {shown} is not a number{hint}"))
            continue
        if key in lines:
            message = f"{kind} {echo(key)} appears again (first on line {lines[key]})"
            problems.append(CsvProblem(line, message))
            continue
        values[key], lines[key] = value, line
    if kind is None:  # only blank lines
        raise CsvInputError([CsvProblem(None, f"the file is empty; expected a header {EXPECTED}")])
    return ScoresFile(kind=kind, values=values, lines=lines, problems=tuple(problems))


def score_file(instrument: Instrument, scores: ScoresFile, *, missing: Missing = "error") -> Result:
    """Score a parsed file; every problem comes back at once, with its line number."""
    if scores.problems:
        # Rows that could not be read may be the "missing" ones: report what is wrong with the
        # rows that could be read, but not missing rows.
        found = input_problems(instrument, scores.kind, scores.values)
        raise CsvInputError([*scores.problems, *(_located(scores, p) for p in found)])
    if not scores.values and missing == "error":
        message = (
            "the file has a header but no rows (use --missing min to score all at the minimum)"
        )
        raise CsvInputError([CsvProblem(None, message)])
    scorer = {"indicator": score_items, "aspect": score_aspects, "domain": score_domains}
    try:
        return scorer[scores.kind](instrument, scores.values, missing=missing)
    except ScoringInputError as error:
        raise CsvInputError([_located(scores, p) for p in error.problems]) from None


def _located(scores: ScoresFile, problem: InputProblem) -> CsvProblem:
    """The engine's problem with its line, and the row's key where the message lacks it."""
    message = problem.message
    leading = [word.rstrip(";:,") for word in message.split(" ")[:3]]
    if problem.key in scores.lines and problem.key not in leading:
        message = f"{scores.kind} {problem.key}: {message}"
    return CsvProblem(scores.lines.get(problem.key), printable(message))


def score_bytes(instrument: Instrument, data: bytes, *, missing: Missing = "error") -> Result:
    return score_file(instrument, parse(data), missing=missing)
