"""What the pure CLIs share: finding instruments, and reporting problems on stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from monev.core.loader import InstrumentError
from monev.core.model import Instrument
from monev.core.registry import Catalog, catalog, resolve
from monev.paths import user_instrument_dir

EXIT_BAD_INPUT = 2


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
    for line in lines:
        print(line, file=sys.stderr)
    return EXIT_BAD_INPUT


def instrument_failure(error: InstrumentError) -> int:
    return fail(error.render().splitlines())


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ
