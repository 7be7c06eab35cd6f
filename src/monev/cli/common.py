"""What the pure CLIs share: their common options, reading the input file, finding
instruments, writing JSON, and reporting problems on stderr."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from monev.core.csvinput import MAX_INPUT_BYTES, CsvInputError, printable
from monev.core.loader import InstrumentError
from monev.core.model import Instrument
from monev.core.numbers import NotExact, parse_decimal
from monev.core.registry import Catalog, catalog, resolve
from monev.lib.paths import user_instrument_dir

EXIT_BAD_INPUT = 2
# Problems printed before "... and N more": every indicator of the largest instrument
# (spbe-2020, 47), so that an incomplete file still lists each missing one.
MAX_LISTED_PROBLEMS = 50


class BadInput(Exception):
    """What a command was given is wrong: the problems, one line each, for fail()."""

    def __init__(self, lines: Iterable[str]):
        super().__init__()
        self.lines = list(lines)


@dataclass(frozen=True)
class Given:
    """What an input_parser command was given, checked."""

    instrument: Instrument
    target: Decimal | None
    data: bytes  # the FILE's
    source: str  # the FILE's name in a problem line


def input_parser(prog: str, description: str, *, file_help: str) -> argparse.ArgumentParser:
    """The parser of a command that reads one CSV FILE (or - for standard input) under an
    --instrument; the description keeps its own line breaks. The command adds a --target
    (read_given reads it)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help=file_help)
    add_instrument_argument(parser)
    return parser


def add_instrument_argument(parser) -> None:
    parser.add_argument(
        "--instrument",
        required=True,
        help="instrument id (spbe-2018, spbe-2020, pemdi-2026), id@version, or a file path",
    )


def add_format_argument(parser) -> None:
    parser.add_argument("--format", choices=["table", "json"], default="table")


def add_missing_argument(parser, help_text: str) -> None:
    parser.add_argument("--missing", choices=["error", "min"], default="error", help=help_text)


def run_on_input(
    parser: argparse.ArgumentParser,
    argv: list[str],
    command: Callable[[argparse.Namespace, Given], int],
) -> int:
    """Runs an input_parser command on what it was given, once that is checked; bad input
    exits here with its problems on stderr."""
    args = parser.parse_args(argv)
    try:
        given = read_given(args)
    except BadInput as error:
        return fail(error.lines)
    return command(args, given)


def read_input(path: str) -> bytes:
    """The file's bytes, but no more than one byte past MAX_INPUT_BYTES: a larger file (or an
    endless standard input) is refused by the reader without being read whole."""
    limit = MAX_INPUT_BYTES + 1
    if path == "-":
        return sys.stdin.buffer.read(limit)
    with open(path, "rb") as handle:
        return handle.read(limit)


def unreadable(path: str, error: OSError) -> str:
    return f"{path}: cannot read the file: {error.strerror}"


def read_given(args: argparse.Namespace) -> Given:
    """The instrument, the --target if there is one, and the FILE, in that order: the first
    that is wrong raises BadInput."""
    try:
        instrument = find_instrument(args.instrument)
    except InstrumentError as error:
        raise BadInput(error.render().splitlines()) from error
    target = None
    if args.target is not None:
        try:
            target = parse_decimal(args.target)
        except NotExact as error:
            message = f"--target: {args.target!r} is not a number such as 4.62"
            raise BadInput([message]) from error
    try:
        data = read_input(args.file)
    except OSError as error:
        raise BadInput([unreadable(args.file, error)]) from error
    return Given(instrument, target, data, "<stdin>" if args.file == "-" else args.file)


def input_problems(error: CsvInputError, source: str) -> list[str]:
    """One line per problem of a CSV of levels or scores, a missing row with the way out."""
    lines = []
    for problem in error.problems:
        line = problem.render(source)
        if problem.message.endswith("has no value"):
            line += " (add a row for it, or use --missing min)"
        lines.append(line)
    return lines


def write_json(data, *, always_indented: bool = False) -> None:
    """Indented for a person at a terminal; compact (and faster) into a pipe or file, unless
    always indented (a document to read or keep, such as an instrument)."""
    indent = 2 if always_indented or sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent))
    sys.stdout.write("\n")


def instrument_catalog() -> Catalog:
    return catalog([user_instrument_dir()])


def find_instrument(reference: str) -> Instrument:
    """By id, id@version, or path; raises InstrumentError with a clear message."""
    return resolve(reference, [user_instrument_dir()])


def fail(lines: Iterable[str]) -> int:
    """Print the problems on stderr, one a line, and answer the exit code for bad input. At
    most MAX_LISTED_PROBLEMS are printed, then how many more there are: a file of a thousand
    bad rows gives a screenful, not a thousand lines. Control characters (from the input a
    problem repeats, or a file name) are printed as escapes."""
    count = 0
    for line in lines:
        count += 1
        if count <= MAX_LISTED_PROBLEMS:
            print(printable(line), file=sys.stderr)
    if count > MAX_LISTED_PROBLEMS:
        more = count - MAX_LISTED_PROBLEMS
        noun = "problem" if more == 1 else "problems"
        print(f"... and {more:,} more {noun} (fix these and run again)", file=sys.stderr)
    return EXIT_BAD_INPUT


def instrument_failure(error: InstrumentError) -> int:
    return fail(error.render().splitlines())


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ
