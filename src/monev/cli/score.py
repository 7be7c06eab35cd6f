"""`monev score`: the index, aspect and domain scores and predicate from a CSV file."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal

from monev.cli.common import (
    Given,
    add_format_argument,
    add_missing_argument,
    fail,
    input_parser,
    input_problems,
    run_on_input,
    use_color,
    write_json,
)
from monev.core.csvinput import CsvInputError, parse, score_file
from monev.core.engine import ScoringInputError, gap_to_target
from monev.core.numbers import exact_str
from monev.core.report import gap_to_dict, render_table, result_to_dict

DESCRIPTION = """\
Score one institution. FILE is CSV (UTF-8) with a header row, one of:
  indicator,level   one row per indicator, numbered as in the instrument (sub-items as 35.1)
  aspect,score      published aspect scores (codes such as A1)
  domain,score      published domain scores (codes such as D1)
Use - to read from standard input. Bad input exits with code 2 and one line per problem (at
most 50, then how many more). A file over 1 MiB or 1,000 rows is refused at once."""


def build_parser() -> argparse.ArgumentParser:
    parser = input_parser(
        "monev score", DESCRIPTION, file_help="the CSV file, or - for standard input"
    )
    add_format_argument(parser)
    add_missing_argument(
        parser,
        "what to do with indicators that have no row: refuse (default), or score "
        "them at the scale minimum",
    )
    parser.add_argument("--target", help="a target index (e.g. 4.62): also show the gap to it")
    return parser


def main(argv: list[str]) -> int:
    return run_on_input(build_parser(), argv, _score)


def _score(args: argparse.Namespace, given: Given) -> int:
    try:
        result = score_file(given.instrument, parse(given.data), missing=args.missing)
        gap = gap_to_target(result, given.target) if given.target is not None else None
    except CsvInputError as error:
        return fail(input_problems(error, given.source))
    except ScoringInputError as error:
        return fail(f"{given.source}: {problem.message}" for problem in error.problems)

    if args.format == "json":
        data = result_to_dict(result)
        if gap is not None:
            data["target"] = gap_to_dict(gap)
        write_json(data)
    else:
        sys.stdout.write(render_table(result, color=use_color()))
        if gap is not None:
            sys.stdout.write(_gap_line(gap.target, gap.reached, gap.shortfall) + "\n")
    return 0


def _gap_line(target: Decimal, reached: bool, shortfall) -> str:
    if reached:
        return f"\nTarget {target}: reached."
    return f"\nTarget {target}: {exact_str(shortfall)} to go (exact index must reach the target)."
