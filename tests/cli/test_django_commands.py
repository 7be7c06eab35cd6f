"""`monev` runs Django's management commands besides its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MONEV = Path(sys.executable).with_name("monev")


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MONEV_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    command = [str(MONEV), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)  # noqa: S603


def test_it_runs_django_management_commands(tmp_path):
    result = run("migrate", "--no-input", "-v", "0", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "monev.sqlite3").exists()
    result = run("check", data_dir=tmp_path)
    assert result.returncode == 0
    assert "no issues" in result.stdout


def test_it_lists_its_own_commands_and_djangos_in_help(tmp_path):
    result = run("help", data_dir=tmp_path)
    assert result.returncode == 0
    assert "score" in result.stdout and "instrument" in result.stdout
    assert "migrate" in result.stdout and "runserver" in result.stdout


def test_it_keeps_the_sqlite_database_in_wal_mode(tmp_path):
    run("migrate", "--no-input", "-v", "0", data_dir=tmp_path)
    result = run(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        data_dir=tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == "wal"
