"""What the pure CLIs share: finding instruments, and reporting problems on stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from monev.core.csvinput import printable
from monev.core.loader import InstrumentError
from monev.core.model import Instrument
from monev.core.registry import Catalog, catalog, resolve
from monev.paths import user_instrument_dir

EXIT_BAD_INPUT = 2
# Problems printed before "... and N more": every indicator of the largest instrument
# (spbe-2020, 47), so that an incomplete file still lists each missing one.
MAX_LISTED_PROBLEMS = 50


def add_instrument_argument(parser) -> None:
    parser.add_argument(
        "--instrument",
        required=True,
        help="instrument id (spbe-2018, spbe-2020, pemdi-2026), id@version, or a file path",
    )


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
