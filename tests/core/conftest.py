"""Fixtures for the pure core: the built-in instruments, their texts, and edited copies."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from monev.core.loader import load_file
from monev.core.model import Instrument
from monev.core.registry import BUILTIN_DIR

# worked-examples.md, example 2 (spbe-2020, a mixed case).
MIXED_LEVELS = (
    "1:4,2:4,3:3,4:4,5:4,6:3,7:3,8:4,9:3,10:3,11:4,12:4,13:3,14:3,15:4,16:3,17:3,18:2,19:4,"
    "20:3,21:3,22:2,23:3,24:2,25:3,26:2,27:2,28:3,29:1,30:2,31:1,32:4,33:4,34:5,35:4,36:4,"
    "37:3,38:4,39:4,40:4,41:3,42:4,43:4,44:3,45:3,46:4,47:3"
)


def builtin(instrument_id: str) -> Instrument:
    return load_file(BUILTIN_DIR / f"{instrument_id}.yaml").instrument


@pytest.fixture(scope="session")
def spbe2018() -> Instrument:
    return builtin("spbe-2018")


@pytest.fixture(scope="session")
def spbe2020() -> Instrument:
    return builtin("spbe-2020")


@pytest.fixture(scope="session")
def pemdi() -> Instrument:
    return builtin("pemdi-2026")


@pytest.fixture
def mixed_levels() -> dict[str, Decimal]:
    pairs = (pair.split(":") for pair in MIXED_LEVELS.split(","))
    return {number: Decimal(level) for number, level in pairs}


@pytest.fixture
def builtin_text() -> Callable[[str], str]:
    def read(instrument_id: str) -> str:
        return (BUILTIN_DIR / f"{instrument_id}.yaml").read_text(encoding="utf-8")

    return read


@pytest.fixture
def edited(tmp_path: Path, builtin_text) -> Callable[..., Path]:
    """A copy of a built-in instrument file with exact text replacements, written to tmp_path.

    Each replacement must match exactly once (or `count` times), so that an edit which no
    longer matches the built-in file fails loudly instead of testing an unedited file.
    """

    def edit(instrument_id: str, *replacements: tuple[str, str], name: str = "") -> Path:
        text = builtin_text(instrument_id)
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
            text = text.replace(old, new)
        path = tmp_path / (name or f"{instrument_id}-edited.yaml")
        path.write_text(text, encoding="utf-8")
        return path

    return edit


def line_of(path: Path, needle: str) -> int:
    """The 1-based line on which `needle` first starts in the file."""
    text = path.read_text(encoding="utf-8")
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


@pytest.fixture
def find_line() -> Callable[[Path, str], int]:
    return line_of
