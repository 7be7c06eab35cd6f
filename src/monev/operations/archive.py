"""The backup archive: one tar holding the database dump, every evidence file and a manifest.

    database/monev.sqlite3 | database/monev.pgdump   the dump (see monev.operations.database)
    files/evidence/ab/cd/abcd...                     evidence files, by their storage name
    instruments/...                                  instrument files an evaluator added
                                                     (MONEV_DATA_DIR/instruments)
    audit/anchor.json                                the audit chains' heads in the dump
                                                     (monev.audit.anchor)
    manifest.json                                    last: SHA-256 and size of every member,
                                                     version, migrations, engine, counts

The database is dumped first and the files listed after it: a blob is stored before its row
(monev.evidence.storage), so every file the dump's rows point to is in the listing.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

import monev
from monev.audit import anchor as audit_anchor
from monev.evidence.storage import PREFIX
from monev.operations import database
from monev.operations.progress import Progress
from monev.operations.storage_files import HashingReader, evidence_names

FORMAT = "monev-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"
INSTRUMENTS = "instruments/"
ANCHOR = "audit/anchor.json"
GZIP_SUFFIXES = (".tar.gz", ".tgz")


class ArchiveError(Exception):
    """The archive cannot be written or used; the message says why, for the operator."""


@dataclass
class BackupResult:
    path: str
    engine: str
    files: int
    file_bytes: int
    archive_bytes: int | None
    seconds: float
    tables: int
    rows: int
    anchor: audit_anchor.Anchor
    misnamed: list[str] = field(default_factory=list)


def default_name() -> str:
    return f"monev-backup-{timezone.now():%Y%m%d-%H%M%S}.tar"


# --- writing ------------------------------------------------------------------------------------


@contextmanager
def _output(out: str) -> Iterator[tuple]:
    """The stream to write to: stdout, or a temporary file (mode 0600) beside `out` that is
    renamed to `out` only once complete, so a half-written archive is never seen as a backup."""
    if out == "-":
        yield sys.stdout.buffer, "w|", {}
        sys.stdout.buffer.flush()
        return
    path = Path(out)
    if path.exists():
        raise ArchiveError(f"{path} already exists; backups are never overwritten.")
    if not path.parent.is_dir():
        raise ArchiveError(f"The folder {path.parent} does not exist.")
    mode, options = ("w:gz", {"compresslevel": 1}) if out.endswith(GZIP_SUFFIXES) else ("w", {})
    partial = path.parent / f".{path.name}.partial-{os.getpid()}"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    handle = os.fdopen(descriptor, "wb")
    try:
        yield handle, mode, options
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(partial, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except BaseException:
        handle.close()
        partial.unlink(missing_ok=True)
        raise


def instrument_dir() -> Path | None:
    """The folder of instrument files an evaluator adds (periods may use them)."""
    dirs = settings.MONEV_INSTRUMENT_DIRS
    return Path(dirs[0]) if dirs else None


def instrument_files() -> list[tuple[str, Path]]:
    folder = instrument_dir()
    if folder is None or not folder.is_dir():
        return []
    return [
        (INSTRUMENTS + path.relative_to(folder).as_posix(), path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]


def _add(tar: tarfile.TarFile, name: str, raw, size: int) -> dict:
    """Add `size` bytes read from `raw` as member `name`; its SHA-256 and size."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    reader = HashingReader(raw)
    tar.addfile(info, reader)
    return {"sha256": reader.hexdigest(), "size": size}


def write_backup(out: str, progress_stream, log: Callable[[str], None]) -> BackupResult:
    started = time.monotonic()
    engine = database.engine()
    dump_member = database.DUMP_NAMES[engine]
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".backup-") as work:
        dump_path = Path(work) / "dump"
        log(f"Dumping the {engine} database ...")
        dumped_at = timezone.now()
        state = database.dump(dump_path)
        anchor = audit_anchor.from_heads(state["audit_heads"], at=dumped_at)
        names = list(evidence_names())
        sizes = {name: default_storage.size(name) for name in names}
        total = sum(sizes.values())
        log(f"Adding {len(names)} evidence files ({total} bytes) ...")
        members: dict[str, dict] = {}
        misnamed = []
        with (
            _output(out) as (handle, mode, options),
            tarfile.open(fileobj=handle, mode=mode, **options) as tar,
        ):
            with dump_path.open("rb") as dumped:
                members[dump_member] = _add(tar, dump_member, dumped, dump_path.stat().st_size)
            progress = Progress(progress_stream, "Evidence files", len(names), total)
            for name in names:
                with default_storage.open(name, "rb") as stored:
                    entry = _add(tar, FILES + name, stored, sizes[name])
                members[FILES + name] = entry
                # Blobs are named by their SHA-256: a different hash is a damaged file,
                # kept as it is (the backup is not the place to judge) but reported.
                if entry["sha256"] != PurePosixPath(name).name:
                    misnamed.append(name)
                progress.advance(sizes[name])
            progress.finish()
            instruments = instrument_files()
            for member, path in instruments:
                with path.open("rb") as handle_in:
                    members[member] = _add(tar, member, handle_in, path.stat().st_size)
            anchor_bytes = (anchor.to_json() + "\n").encode("utf-8")
            members[ANCHOR] = _add(tar, ANCHOR, io.BytesIO(anchor_bytes), len(anchor_bytes))
            counts = state["counts"]
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "monev_version": monev.__version__,
                "created_at": timezone.now().isoformat(),
                "database": {
                    "engine": engine,
                    "member": dump_member,
                    "server_version": state["server_version"],
                },
                "migrations": database.latest_per_app(state["applied_migrations"]),
                "applied_migrations": state["applied_migrations"],
                "counts": {
                    "tables": counts,
                    "evidence_files": len(names),
                    "evidence_bytes": total,
                    "instrument_files": len(instruments),
                    "stored_file_rows": counts.get("evidence_storedfile", 0),
                    "audit_events": counts.get("audit_auditevent", 0),
                    "users": counts.get("accounts_user", 0),
                },
                "members": members,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            _add(tar, MANIFEST, io.BytesIO(data), len(data))
    size = Path(out).stat().st_size if out != "-" else None
    return BackupResult(
        path=out,
        engine=engine,
        files=len(names),
        file_bytes=total,
        archive_bytes=size,
        seconds=time.monotonic() - started,
        tables=len(counts),
        rows=sum(counts.values()),
        anchor=anchor,
        misnamed=misnamed,
    )


# --- reading ------------------------------------------------------------------------------------

MEMBER_NAME = re.compile(rf"^({FILES}{PREFIX}|{INSTRUMENTS[:-1]})/[\w .+-][\w ./+-]*$")


def open_archive(path: str) -> tarfile.TarFile:
    if not Path(path).is_file():
        raise ArchiveError(f"{path} is not a file.")
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as error:
        raise ArchiveError(f"{path} is not a Monev backup archive: {error}") from None


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.load(tar.extractfile(member))
    except KeyError:
        raise ArchiveError(
            "The archive has no manifest.json: it is not a Monev backup, or it was cut short."
        ) from None
    except (tarfile.TarError, OSError, ValueError) as error:
        raise ArchiveError(f"The archive's manifest cannot be read: {error}") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError("The archive's manifest is not a Monev backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive is in backup format {manifest.get('format_version')}; this version "
            f"of Monev reads format {FORMAT_VERSION}."
        )
    for name in manifest["members"]:
        parts = PurePosixPath(name).parts
        allowed = name in (manifest["database"]["member"], ANCHOR) or MEMBER_NAME.match(name)
        if not allowed or ".." in parts:
            raise ArchiveError(f"The archive names a member it may not hold: {name!r}.")
    return manifest


def verify_members(tar: tarfile.TarFile, manifest: dict, progress_stream) -> list[str]:
    """Every member's SHA-256 and size against the manifest; the problems found."""
    expected = manifest["members"]
    problems = []
    seen = set()
    progress = Progress(
        progress_stream,
        "Verifying the archive",
        len(expected),
        sum(entry["size"] for entry in expected.values()),
    )
    for member in tar:
        if member.name == MANIFEST:
            continue
        if member.name not in expected:
            problems.append(f"{member.name}: in the archive but not in its manifest")
            continue
        if not member.isfile():
            problems.append(f"{member.name}: not a regular file")
            continue
        seen.add(member.name)
        reader = HashingReader(tar.extractfile(member))
        digest = reader.drain()
        entry = expected[member.name]
        if digest != entry["sha256"] or reader.size != entry["size"]:
            problems.append(
                f"{member.name}: checksum {digest} ({reader.size} bytes) does not match the "
                f"manifest's {entry['sha256']} ({entry['size']} bytes)"
            )
        progress.advance(reader.size)
    progress.finish()
    for name in sorted(set(expected) - seen):
        if not any(problem.startswith(f"{name}:") for problem in problems):
            problems.append(f"{name}: listed in the manifest but missing from the archive")
    return problems


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])
