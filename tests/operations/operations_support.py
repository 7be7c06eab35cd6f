"""Helpers for the backup, restore and check tests: evidence uploads through the service, and
a second, empty deployment (own database and data folder) driven by `monev` subprocesses."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from monev.evidence import services

MONEV = Path(sys.executable).with_name("monev")
FIXTURES = Path(__file__).parents[1] / "evidence" / "fixtures"


def upload(world, name: str, content: bytes | None = None, *, title: str | None = None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return services.evidence_upload(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        uploaded=SimpleUploadedFile(name, data),
        unit_id=world.unit_a.pk,
        title=title or name,
        kind="peraturan",
    )


def evidence_bytes(files_dir: Path) -> dict[str, bytes]:
    root = files_dir / "evidence"
    if not root.exists():
        return {}
    return {
        path.relative_to(files_dir).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@dataclass
class Deployment:
    """Another Monev deployment: its own data folder and database, used through `monev`."""

    data_dir: Path
    database_url: str | None  # None: SQLite in the data folder
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. MONEV_STORAGE=s3

    def env(self) -> dict[str, str]:
        env = {**os.environ, "MONEV_DATA_DIR": str(self.data_dir), **self.extra_env}
        env.pop("DATABASE_URL", None)
        # Set while the browser tests' chromium runs (tests/browser/conftest.py); a deployment
        # never has it, and `check --deploy` rightly reports it as an error.
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [str(MONEV), *args], capture_output=True, text=True, env=self.env(), timeout=300
        )

    def python(self, code: str):
        """The JSON that `code` prints, run in this deployment's Django shell."""
        result = self.run("shell", "-c", code)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def table_counts(self) -> dict[str, int]:
        return self.python(
            "import json; from monev.operations.database import current_counts; "
            "print(json.dumps(current_counts()))"
        )

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


def _pg_url(name: str) -> str:
    settings = connection.settings_dict
    credentials = settings["USER"] or ""
    if settings.get("PASSWORD"):
        credentials += f":{settings['PASSWORD']}"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{name}"


def database_url_of_this_test() -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{connection.settings_dict['NAME']}"
    return _pg_url(connection.settings_dict["NAME"])


def _admin_connection():
    url = _pg_url("postgres").replace("postgres://", "postgresql://")
    return psycopg.connect(url, autocommit=True)


class EmptyDeployments:
    """Makes empty deployments of the engine under test and removes their databases after."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.databases: list[str] = []

    def make(self, label: str = "restored") -> Deployment:
        data_dir = self.tmp_path / label
        data_dir.mkdir()
        if connection.vendor == "sqlite":
            return Deployment(data_dir, None)
        name = f"{connection.settings_dict['NAME']}_{label}"
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return Deployment(data_dir, _pg_url(name))

    def remove_all(self) -> None:
        if not self.databases:
            return
        with _admin_connection() as admin:
            for name in self.databases:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rewrite_manifest(source: Path, target: Path, change) -> None:
    """A copy of the archive whose manifest `change(manifest)` edited (members unchanged)."""
    with tarfile.open(source) as original, tarfile.open(target, "w") as copy:
        for member in original:
            if member.name == "manifest.json":
                manifest = json.load(original.extractfile(member))
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
                copy.addfile(member, io.BytesIO(data))
            else:
                copy.addfile(member, original.extractfile(member))


def flip_a_byte(archive: Path, member_name: str) -> None:
    """Damage one member's bytes in place (same size: only its checksum tells)."""
    with tarfile.open(archive) as tar:
        offset = tar.getmember(member_name).offset_data
    with archive.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0xFF]))
