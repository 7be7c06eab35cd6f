"""Scores from a CSV file: `indicator,level`, `aspect,score` or `domain,score`.

The file is read strictly and every problem is reported with its line number, so a
coordinator can fix a spreadsheet export in one pass. A UTF-8 byte-order mark and Windows
line endings are accepted (spreadsheets write them); anything else that is not plain UTF-8
CSV is refused.
"""

from __future__ import annotations

import csv
import io
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
from monev.core.numbers import NotExact, parse_decimal

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
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # error.start counts from after a byte-order mark, as does error.object.
        line = error.object.count(b"\n", 0, error.start) + 1
        message = "the file is not UTF-8 text; save it as CSV UTF-8"
        raise CsvInputError([CsvProblem(line, message)]) from None


def parse(data: bytes) -> ScoresFile:
    """Read the header and rows; values checked as numbers, keys for duplicates."""
    text = decode(data)
    if not text.strip():
        raise CsvInputError([CsvProblem(None, f"the file is empty; expected a header {EXPECTED}")])
    rows = csv.reader(io.StringIO(text, newline=""))
    problems: list[CsvProblem] = []
    kind: Kind | None = None
    values: dict[str, Decimal] = {}
    lines: dict[str, int] = {}
    for row in rows:
        line = rows.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if kind is None:
            header = tuple(cell.lower() for cell in cells)
            kind = HEADERS.get(header) if len(header) == 2 else None  # type: ignore[arg-type]
            if kind is None:
                message = f"the header must be {EXPECTED}; found {','.join(cells)}"
                if len(cells) == 1 and ";" in cells[0]:
                    message += " (the file uses semicolons: save it as CSV with commas)"
                raise CsvInputError([CsvProblem(line, message)])
            continue
        if len(cells) != 2:
            message = f"expected 2 columns, found {len(cells)}: {','.join(cells)}"
            if len(cells) == 3 and cells[1].isdigit() and cells[2].isdigit():
                message += " (a decimal comma? write 3.5, not 3,5)"
            problems.append(CsvProblem(line, message))
            continue
        key, raw_value = cells
        if not key:
            problems.append(CsvProblem(line, f"the {kind} column is empty"))
            continue
        try:
            value = parse_decimal(raw_value)
        except NotExact:
            hint = "; use a dot as the decimal separator" if "," in raw_value else ""
            shown = raw_value or "(empty)"
            problems.append(CsvProblem(line, f"{kind} {key}: {shown} is not a number{hint}"))
            continue
        if key in lines:
            message = f"{kind} {key} appears again (first on line {lines[key]})"
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
    return CsvProblem(scores.lines.get(problem.key), message)


def score_bytes(instrument: Instrument, data: bytes, *, missing: Missing = "error") -> Result:
    return score_file(instrument, parse(data), missing=missing)
