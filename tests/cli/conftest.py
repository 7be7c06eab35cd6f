"""Fixtures for the pure CLIs (`monev score`, `monev instrument`): run them in-process with
their own data directory, so that no evaluator's instrument files leak in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from monev.cli.main import main

# worked-examples.md, example 2 (spbe-2020, a mixed case).
MIXED_LEVELS = (
    "1:4,2:4,3:3,4:4,5:4,6:3,7:3,8:4,9:3,10:3,11:4,12:4,13:3,14:3,15:4,16:3,17:3,18:2,19:4,"
    "20:3,21:3,22:2,23:3,24:2,25:3,26:2,27:2,28:3,29:1,30:2,31:1,32:4,33:4,34:5,35:4,36:4,"
    "37:3,38:4,39:4,40:4,41:3,42:4,43:4,44:3,45:3,46:4,47:3"
)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MONEV_DATA_DIR for the run; its instruments/ directory is the evaluator's own."""
    directory = tmp_path / "data"
    (directory / "instruments").mkdir(parents=True)
    monkeypatch.setenv("MONEV_DATA_DIR", str(directory))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return directory


@pytest.fixture
def monev(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run `monev ARGS...` in-process; returns the exit code, stdout and stderr."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def mixed_rows() -> dict[str, str]:
    return dict(pair.split(":") for pair in MIXED_LEVELS.split(","))


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (or raw bytes) to a CSV file in tmp_path and return its path."""

    def write(
        rows: dict[str, object] | bytes,
        name: str = "scores.csv",
        header: str = "indicator,level",
    ) -> Path:
        path = tmp_path / name
        if isinstance(rows, bytes):
            path.write_bytes(rows)
        else:
            lines = [header, *(f"{key},{value}" for key, value in rows.items())]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
