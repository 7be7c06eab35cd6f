"""The project reads nothing outside its own repository, at run time or in tests: a user's clone
has nothing beside it. Every file in the repository is scanned for paths of the machine it was
written on and for `Path(__file__)` climbs above the repository's root."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Folders that are not the project's own files (virtual environment, data, caches, builds).
NOT_SCANNED = {
    *(".git", ".venv", "var", "node_modules", "__pycache__", "build", "dist", "staticfiles"),
    *(".pytest_cache", ".ruff_cache", ".hypothesis", ".mypy_cache"),
}
NOT_SCANNED_SUFFIXES = {".pyc", ".mo", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2"}

# A path of the workplace the project was written in, or of the reference folder beside it.
# Spelt in pieces so that this file names no such path itself, and is scanned like any other.
WORK, SHARED = "work", "shared"
THIS_FILE = "Path(__file__)"  # likewise, for the examples of climbs below
OUTSIDE = re.compile(
    rf"(?<![\w.])/{WORK}/"  # the development machine's checkout and its neighbours
    rf"|\.\./{SHARED}\b"  # the reference folder beside the checkout
    rf"|\b{SHARED}/(?:reference|guide)\b"
)

# Path(__file__).parent.parent... or Path(__file__).resolve().parents[N]
FILE_CLIMB = re.compile(
    r"Path\(__file__\)(?:\.resolve\(\))?(?P<parents>(?:\.parent\b)+|\.parents\[(?P<index>\d+)\])"
)


def project_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in NOT_SCANNED or part.endswith(".egg-info") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() not in NOT_SCANNED_SUFFIXES:
            files.append(path)
    return files


def text_of(path: Path) -> str:
    data = path.read_bytes()
    return "" if b"\0" in data[:4096] else data.decode("utf-8", errors="replace")


def climbs_out(relative: Path, match: re.Match) -> bool:
    """Whether `Path(__file__)` followed by these parents leaves the repository."""
    if match["index"] is not None:
        climbed = int(match["index"]) + 1
    else:
        climbed = match["parents"].count(".parent")
    # .parent is the file's folder; each further step goes up one more folder.
    return climbed - 1 > len(relative.parts) - 1


def outside_paths(relative: Path, text: str) -> list[str]:
    found = [f"{relative}: {m.group(0)!r}" for m in OUTSIDE.finditer(text)]
    if relative.suffix == ".py":
        found += [
            f"{relative}: {m.group(0)!r} climbs above the repository"
            for m in FILE_CLIMB.finditer(text)
            if climbs_out(relative, m)
        ]
    return found


def test_no_file_in_the_repository_names_a_path_outside_it():
    files = project_files()
    assert len(files) > 100  # the scan really walked the repository
    problems = [
        problem
        for path in files
        for problem in outside_paths(path.relative_to(ROOT), text_of(path))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("relative", "line"),
    [
        ("tests/demo/test_x.py", f'CSV = Path("/{WORK}/{SHARED}/reference/indices.csv")'),
        ("Makefile", f"\tcp ../{SHARED}/reference/domain.md docs/"),
        ("src/monev/demo/data.py", f"# quoted from {SHARED}/reference/published-indices.csv"),
        ("tests/web/test_x.py", f'ROOT = {THIS_FILE}.resolve().parents[3] / "{SHARED}"'),
        ("benchmarks/x.py", f"ROOT = {THIS_FILE}.parent.parent.parent"),
    ],
)
def test_the_scan_finds_each_kind_of_outside_path(relative, line):
    assert outside_paths(Path(relative), line)


@pytest.mark.parametrize(
    ("relative", "line"),
    [
        ("tests/web/test_x.py", f'TEMPLATES = {THIS_FILE}.resolve().parents[2] / "src"'),
        ("benchmarks/upload.py", f"ROOT = {THIS_FILE}.resolve().parent.parent"),
        ("tests/x.py", f'FIXTURES = {THIS_FILE}.parent / "fixtures"'),
        ("src/monev/settings.py", 'executable = "/usr/bin/chromium"'),
        ("docs/x.md", f"shared storage, a network/{WORK}/ folder"),
    ],
)
def test_paths_inside_the_repository_or_of_the_system_pass(relative, line):
    assert outside_paths(Path(relative), line) == []
