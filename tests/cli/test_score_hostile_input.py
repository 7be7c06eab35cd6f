"""`monev score` on hostile or absurd input (issue 14, finding 8): a field longer than Python's
csv reads, a file far too large, a million bad rows, control characters and non-ASCII digits.
Each gives exit 2, a few clear lines on stderr, nothing on stdout, no traceback, and it is quick.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

MONEV = Path(sys.executable).with_name("monev")
HEADER = b"indicator,level\n"
ALL_47 = b"".join(f"{n},3\n".encode() for n in range(1, 48))
LISTED = 50  # monev.cli.common.MAX_LISTED_PROBLEMS
ROWS = 1_000  # monev.core.csvinput.MAX_ROWS
MIB = 1_048_576  # monev.core.csvinput.MAX_INPUT_BYTES


def score(monev, path):
    return monev("score", str(path), "--instrument", "spbe-2020")


def test_a_field_longer_than_csv_reads_is_refused_with_exit_2(monev, write_csv):
    path = write_csv(HEADER + b"1," + b"3" * 200_000 + b"\n" + ALL_47[4:])
    run = score(monev, path)
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        f"{path}:2: a field is longer than 131,072 characters; reading stopped here"
    ]


def test_the_console_script_gives_no_traceback_for_a_field_too_long(tmp_path, data_dir):
    env = {**os.environ, "MONEV_DATA_DIR": str(data_dir)}
    done = subprocess.run(  # noqa: S603
        [str(MONEV), "score", "-", "--instrument", "spbe-2020"],
        input=HEADER + b"1," + b"3" * 140_000 + b"\n",
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        "<stdin>:2: a field is longer than 131,072 characters; reading stopped here"
    ]


def test_at_most_50_problems_are_listed_then_how_many_more(monev, write_csv):
    # 200 duplicates of indicator 1 (the 46 indicators without a value are not reported while
    # rows could not be read: they may be the missing ones).
    path = write_csv(HEADER + b"1,3\n" * 201)
    run = score(monev, path)
    assert (run.code, run.out) == (2, "")
    assert len(run.err_lines) == LISTED + 1
    assert run.err_lines[0] == f"{path}:3: indicator 1 appears again (first on line 2)"
    assert run.err_lines[LISTED - 1] == f"{path}:{LISTED + 2}: indicator 1 appears again " + (
        "(first on line 2)"
    )
    assert run.err_lines[-1] == "... and 150 more problems (fix these and run again)"


def test_every_problem_of_a_whole_instrument_is_still_listed(monev, write_csv):
    # One row: the other 46 indicators of spbe-2020 each get their line, and no "more".
    path = write_csv(HEADER + b"1,3\n")
    run = score(monev, path)
    assert run.code == 2
    assert len(run.err_lines) == 46
    assert not any(line.startswith("...") for line in run.err_lines)


def test_a_million_duplicate_rows_are_refused_at_once_by_size(monev, write_csv):
    path = write_csv(HEADER + b"1,3\n" * 1_000_000)  # 4 MB
    started = time.perf_counter()
    run = score(monev, path)
    elapsed = time.perf_counter() - started
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        f"{path}: the file is larger than 1 MiB (1,048,576 bytes), far more than one row per "
        "indicator; nothing was read"
    ]
    assert elapsed < 5, elapsed


def test_a_60_mb_file_finishes_at_once(monev, tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(HEADER)
        chunk = b"1,3\n" * 262_144  # 1 MiB
        for _ in range(60):
            handle.write(chunk)
    started = time.perf_counter()
    run = score(monev, path)
    assert (run.code, run.out) == (2, "")
    assert len(run.err_lines) == 1 and "larger than 1 MiB" in run.err_lines[0]
    assert time.perf_counter() - started < 5


class CountingStdin(io.BytesIO):
    """Standard input that remembers how much was asked of it."""

    def __init__(self, size: int):
        super().__init__(HEADER + b"1,3\n" * (size // 4))
        self.asked = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.asked += len(data)
        return data


def test_standard_input_is_not_read_past_the_limit(monev, monkeypatch):
    stdin = CountingStdin(60 * MIB)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
    run = monev("score", "-", "--instrument", "spbe-2020")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines[0].startswith("<stdin>: the file is larger than 1 MiB")
    assert stdin.asked <= MIB + 1


def test_more_rows_than_any_instrument_has_stop_the_reading(monev, write_csv):
    path = write_csv(HEADER + b"1,3\n" * 250_000)  # under 1 MiB: the row limit stops it
    started = time.perf_counter()
    run = score(monev, path)
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        f"{path}:{ROWS + 2}: more than 1,000 rows, far more than one row per indicator; "
        "reading stopped here"
    ]
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"3\x00", "3\\x00"),
        (b"\x1b[2J\x1b[31m3", "\\x1b[2J\\x1b[31m3"),
        ("3\u202e4".encode(), "3\\u202e4"),
        (b"3\x7f", "3\\x7f"),
        ("3\u00854".encode(), "3\\x854"),  # NEL: whitespace to str.strip(), so inside
    ],
)
def test_control_characters_in_echoed_input_are_shown_escaped(monev, write_csv, raw, shown):
    path = write_csv(HEADER + b"1," + raw + b"\n" + ALL_47[4:])
    run = score(monev, path)
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [f"{path}:2: indicator 1: {shown} is not a number"]
    assert not [ch for ch in run.err if ch != "\n" and (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0)]


def test_control_characters_in_a_key_or_a_row_are_shown_escaped(monev, write_csv):
    path = write_csv(HEADER + b"1\x00,3\n2,3,\x07\n" + ALL_47[8:])
    run = score(monev, path)
    assert run.code == 2
    assert f"{path}:2: unknown indicator 1\\x00" in run.err_lines
    assert f"{path}:3: expected 2 columns, found 3: 2,3,\\x07" in run.err_lines
    assert "\x00" not in run.err and "\x07" not in run.err


def test_a_long_value_or_key_is_echoed_clipped(monev, write_csv):
    path = write_csv(HEADER + b"1," + b"x" * 100_000 + b"\n" + b"9" * 50_000 + b",3\n" + ALL_47[4:])
    run = score(monev, path)
    assert run.code == 2
    assert run.err_lines == [
        f"{path}:2: indicator 1: {'x' * 40}… is not a number",
        f"{path}:3: unknown indicator {'9' * 40}…",
    ]


@pytest.mark.parametrize("digit", ["\u0663", "\uff13", "\u07c3", "\u09e9"])
def test_only_ascii_digits_are_numbers(monev, write_csv, digit):
    # Arabic-Indic 3, fullwidth 3, NKo 3, Bengali 3: Python's int and Decimal take them as 3.
    path = write_csv(HEADER + f"1,{digit}\n".encode() + ALL_47[4:])
    run = score(monev, path)
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [f"{path}:2: indicator 1: {digit} is not a number"]


def test_a_target_in_non_ascii_digits_is_refused(monev, write_csv):
    path = write_csv(HEADER + ALL_47)
    run = monev("score", str(path), "--instrument", "spbe-2020", "--target", "\u0663.5")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == ["--target: '\u0663.5' is not a number such as 4.62"]
