"""`monev score`: the index, aspect and domain scores and predicate from a CSV file."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal

from monev.cli.common import (
    add_instrument_argument,
    fail,
    find_instrument,
    instrument_failure,
    use_color,
)
from monev.core.csvinput import MAX_INPUT_BYTES, CsvInputError, parse, score_file
from monev.core.engine import ScoringInputError, gap_to_target
from monev.core.loader import InstrumentError
from monev.core.numbers import NotExact, exact_str, parse_decimal
from monev.core.report import gap_to_dict, render_table, result_to_dict

DESCRIPTION = """\
Score one institution. FILE is CSV (UTF-8) with a header row, one of:
  indicator,level   one row per indicator, numbered as in the instrument (sub-items as 35.1)
  aspect,score      published aspect scores (codes such as A1)
  domain,score      published domain scores (codes such as D1)
Use - to read from standard input. Bad input exits with code 2 and one line per problem (at
most 50, then how many more). A file over 1 MiB or 1,000 rows is refused at once."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="monev score",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="the CSV file, or - for standard input")
    add_instrument_argument(parser)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument(
        "--missing",
        choices=["error", "min"],
        default="error",
        help="what to do with indicators that have no row: refuse (default), or score "
        "them at the scale minimum",
    )
    parser.add_argument("--target", help="a target index (e.g. 4.62): also show the gap to it")
    return parser


def read_input(path: str) -> bytes:
    """The file's bytes, but no more than one byte past MAX_INPUT_BYTES: a larger file (or an
    endless standard input) is refused by the reader without being read whole."""
    limit = MAX_INPUT_BYTES + 1
    if path == "-":
        return sys.stdin.buffer.read(limit)
    with open(path, "rb") as handle:
        return handle.read(limit)


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        instrument = find_instrument(args.instrument)
    except InstrumentError as error:
        return instrument_failure(error)
    target = None
    if args.target is not None:
        try:
            target = parse_decimal(args.target)
        except NotExact:
            return fail([f"--target: {args.target!r} is not a number such as 4.62"])
    try:
        data = read_input(args.file)
    except OSError as error:
        return fail([f"{args.file}: cannot read the file: {error.strerror}"])
    source = "<stdin>" if args.file == "-" else args.file
    try:
        result = score_file(instrument, parse(data), missing=args.missing)
        gap = gap_to_target(result, target) if target is not None else None
    except CsvInputError as error:
        lines = []
        for problem in error.problems:
            line = problem.render(source)
            if problem.message.endswith("has no value"):
                line += " (add a row for it, or use --missing min)"
            lines.append(line)
        return fail(lines)
    except ScoringInputError as error:
        return fail(f"{source}: {problem.message}" for problem in error.problems)

    if args.format == "json":
        data = result_to_dict(result)
        if gap is not None:
            data["target"] = gap_to_dict(gap)
        # Indented for a person at a terminal; compact (and faster) into a pipe or file.
        indent = 2 if sys.stdout.isatty() else None
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_table(result, color=use_color()))
        if gap is not None:
            sys.stdout.write(_gap_line(gap.target, gap.reached, gap.shortfall) + "\n")
    return 0


def _gap_line(target: Decimal, reached: bool, shortfall) -> str:
    if reached:
        return f"\nTarget {target}: reached."
    return f"\nTarget {target}: {exact_str(shortfall)} to go (exact index must reach the target)."
