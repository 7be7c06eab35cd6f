"""`monev restore FILE`: put a `monev backup` archive into an EMPTY deployment.

Order, so that a bad archive changes nothing: read the manifest; refuse an archive from
another database engine or from newer code; refuse a deployment that has data or evidence
files; verify every member's SHA-256 against the manifest; only then restore the database,
then the files; then verify what was restored (row counts, every file's SHA-256 against the
manifest and its row, the audit chain) and print a summary.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError as DjangoDatabaseError

import monev
from monev.audit import anchor as audit_anchor
from monev.operations import archive as backup_archive
from monev.operations import database, integrity
from monev.operations.progress import Progress, human_bytes
from monev.operations.storage_files import HashingReader, has_evidence_files, sha256_of


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class Command(BaseCommand):
    help = (
        "Restore a `monev backup` archive into an empty deployment (no data, no evidence "
        "files), verifying every checksum before and after."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FILE", help="the archive `monev backup` wrote")

    def handle(self, *args, archive: str, **options):
        started = time.monotonic()
        try:
            self.restore(archive, started)
        except (backup_archive.ArchiveError, database.DatabaseError, OSError) as error:
            raise CommandError(str(error)) from None

    def restore(self, path: str, started: float) -> None:
        with backup_archive.open_archive(path) as tar:
            manifest = backup_archive.read_manifest(tar)
            self.refuse_engine(manifest)
            pending = self.refuse_newer(manifest)
            self.refuse_non_empty(manifest)
            self.stdout.write(
                f"Archive of {manifest['created_at']} (Monev {manifest['monev_version']}, "
                f"{manifest['counts']['evidence_files']} evidence files): verifying ..."
            )
            problems = backup_archive.verify_members(tar, manifest, sys.stderr)
            if problems:
                for problem in problems:
                    self.stderr.write(f"BAD {problem}")
                raise CommandError(
                    f"The archive is damaged ({len(problems)} member(s) do not match its "
                    "manifest): nothing was restored."
                )
            self.stdout.write("Every checksum matches. Restoring the database ...")
            self.restore_database(tar, manifest)
            self.stdout.write("Restoring the evidence files ...")
            self.restore_files(tar, manifest)
            self.restore_instruments(tar, manifest)
            self.restore_anchor(tar, manifest)
        self.verify(manifest, pending, started)

    # --- refusals, before anything is written ---------------------------------------------------

    def refuse_engine(self, manifest: dict) -> None:
        theirs = manifest["database"]["engine"]
        ours = database.engine()
        if theirs != ours:
            raise CommandError(
                f"This archive holds a {ENGINE_NAMES.get(theirs, theirs)} database and this "
                f"deployment uses {ENGINE_NAMES.get(ours, ours)}. A dump of one cannot be "
                f"loaded into the other: restore it into a {ENGINE_NAMES.get(theirs, theirs)} "
                "deployment (set DATABASE_URL accordingly). Nothing was restored."
            )

    def refuse_newer(self, manifest: dict) -> list[tuple[str, str]]:
        """Refuse an archive from newer code; the code's migrations it lacks (run migrate)."""
        theirs = manifest["monev_version"]
        if backup_archive.version_tuple(theirs) > backup_archive.version_tuple(monev.__version__):
            raise CommandError(
                f"The archive was made by Monev {theirs}, newer than this Monev "
                f"{monev.__version__}: upgrade Monev first, then restore. Nothing was restored."
            )
        applied = {tuple(item) for item in manifest["applied_migrations"]}
        unknown = sorted(applied - database.code_migrations())
        if unknown:
            listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            raise CommandError(
                f"The archive's database has {len(unknown)} migration(s) this code does not "
                f"know ({listed}): it comes from newer code. Upgrade Monev first, then restore. "
                "Nothing was restored."
            )
        from django.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(None, ignore_no_migrations=True)
        pending = []
        for key, migration in sorted(loader.disk_migrations.items()):
            replaced = migration.replaces or []
            if key in applied or (replaced and all(tuple(r) in applied for r in replaced)):
                continue
            pending.append(key)
        return pending

    def refuse_non_empty(self, manifest: dict) -> None:
        try:
            tables = database.monev_tables_with_rows()
        except DjangoDatabaseError as error:
            raise CommandError(f"The database cannot be read: {error}") from None
        if tables:
            listed = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise CommandError(
                "This deployment is not empty: its database has data in "
                f"{len(tables)} table(s) ({listed}). "
                "`monev restore` only restores into an empty deployment, so that nothing is "
                "overwritten: point DATABASE_URL at a new, empty database. Nothing was restored."
            )
        if has_evidence_files():
            raise CommandError(
                "This deployment is not empty: its storage already holds evidence files. "
                "`monev restore` only restores into an empty deployment: use an empty storage "
                "(MONEV_DATA_DIR / bucket). Nothing was restored."
            )
        for member, target in self.instrument_targets(manifest):
            if target.exists() and _file_sha256(target) != manifest["members"][member]["sha256"]:
                raise CommandError(
                    f"This deployment already has a different instrument file {target}; "
                    "move it away first. Nothing was restored."
                )
        anchor = audit_anchor.configured_path()
        expected = manifest["members"].get(backup_archive.ANCHOR)
        if expected and anchor.exists() and _file_sha256(anchor) != expected["sha256"]:
            # Perhaps the anchor of the deployment this one replaces, newer than the archive:
            # it shows what the restore will lack, and must not be lost by overwriting it.
            raise CommandError(
                f"This deployment already has a different audit anchor {anchor}; move it away "
                "first (keep it: compare it with the restored trail, `monev audit verify "
                "--anchor FILE`). Nothing was restored."
            )

    def instrument_targets(self, manifest: dict) -> list[tuple[str, Path]]:
        folder = backup_archive.instrument_dir()
        members = [m for m in manifest["members"] if m.startswith(backup_archive.INSTRUMENTS)]
        if members and folder is None:
            raise CommandError("The archive has instrument files; MONEV_INSTRUMENT_DIRS is empty.")
        return [(m, folder / m.removeprefix(backup_archive.INSTRUMENTS)) for m in members]

    # --- writing --------------------------------------------------------------------------------

    def restore_database(self, tar, manifest: dict) -> None:
        member_name = manifest["database"]["member"]
        expected = manifest["members"][member_name]
        with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".restore-") as work:
            dump_path = Path(work) / "dump"
            reader = HashingReader(tar.extractfile(tar.getmember(member_name)))
            with dump_path.open("wb") as handle:
                while chunk := reader.read(1024 * 1024):
                    handle.write(chunk)
            if reader.hexdigest() != expected["sha256"]:
                raise CommandError("The database dump changed while it was read: not restored.")
            database.restore(dump_path, self.stdout.write)

    def restore_files(self, tar, manifest: dict) -> None:
        members = {
            name: entry
            for name, entry in manifest["members"].items()
            if name.startswith(backup_archive.FILES)
        }
        progress = Progress(
            sys.stderr,
            "Evidence files",
            len(members),
            sum(entry["size"] for entry in members.values()),
        )
        for member in tar:
            if member.name not in members:
                continue
            name = member.name.removeprefix(backup_archive.FILES)
            reader = HashingReader(tar.extractfile(member))
            content = File(reader, name=name)
            content.size = member.size
            saved = default_storage.save(name, content)
            if saved != name:
                raise CommandError(f"{name} was stored as {saved}: the storage was not empty.")
            if reader.hexdigest() != members[member.name]["sha256"]:
                raise CommandError(f"{name} changed while it was restored.")
            progress.advance(member.size)
        progress.finish()

    def restore_instruments(self, tar, manifest: dict) -> None:
        for member, target in self.instrument_targets(manifest):
            if target.exists():
                continue  # the same bytes (checked before anything was written)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.partial")
            reader = HashingReader(tar.extractfile(tar.getmember(member)))
            with partial.open("wb") as handle:
                while chunk := reader.read(1024 * 1024):
                    handle.write(chunk)
            if reader.hexdigest() != manifest["members"][member]["sha256"]:
                partial.unlink()
                raise CommandError(f"{member} changed while it was restored.")
            partial.replace(target)

    def restore_anchor(self, tar, manifest: dict) -> None:
        """The archive's audit anchor (the chain heads of its dump) becomes this deployment's,
        so that events deleted later from the restored trail are noticed too."""
        expected = manifest["members"].get(backup_archive.ANCHOR)
        if expected is None:
            return  # an archive from before anchors were kept
        reader = HashingReader(tar.extractfile(tar.getmember(backup_archive.ANCHOR)))
        data = reader.read(expected["size"] + 1)
        if reader.hexdigest() != expected["sha256"]:
            raise CommandError(f"{backup_archive.ANCHOR} changed while it was restored.")
        path = audit_anchor.configured_path()
        try:
            audit_anchor.write(path, data.decode("utf-8", errors="replace"))
        except audit_anchor.AnchorError as error:
            raise CommandError(f"The audit anchor {path} was not restored: {error}.") from None

    # --- after ----------------------------------------------------------------------------------

    def verify(self, manifest: dict, pending: list, started: float) -> None:
        problems = []
        counts = database.current_counts()
        for table, rows in sorted(manifest["counts"]["tables"].items()):
            if counts.get(table) != rows:
                problems.append(
                    f"ROWS     {table}: {counts.get(table)} rows restored, {rows} in the archive"
                )
        files = {
            name.removeprefix(backup_archive.FILES): entry
            for name, entry in manifest["members"].items()
            if name.startswith(backup_archive.FILES)
        }
        if pending:
            # The restored tables are older than this code's models: the rows cannot be read
            # through them yet. The files are checked against the manifest alone.
            for name, entry in files.items():
                digest, _size = sha256_of(default_storage, name)
                if digest != entry["sha256"]:
                    problems.append(f"MODIFIED {name}: restored bytes differ from the archive's")
            report = None
        else:
            report = integrity.check_all(sys.stderr)
            problems.extend(report.problems)
            for name, entry in files.items():
                if report.hashes.get(name, entry["sha256"]) != entry["sha256"]:
                    problems.append(f"MODIFIED {name}: restored bytes differ from the archive's")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The restore finished but {len(problems)} check(s) failed (listed above)."
            )
        self.summary(manifest, counts, report, pending, time.monotonic() - started)

    def summary(self, manifest, counts, report, pending, seconds: float) -> None:
        total_bytes = sum(entry["size"] for entry in manifest["members"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored in {seconds:.1f} s: {len(counts)} tables, {sum(counts.values())} rows, "
                f"{manifest['counts']['evidence_files']} evidence files "
                f"({human_bytes(manifest['counts']['evidence_bytes'])}; "
                f"{human_bytes(total_bytes)} with the database)."
            )
        )
        if report is not None:
            self.stdout.write(
                f"Every file matches the manifest and its row ({report.files_checked} checked); "
                f"the audit trail is intact ({report.audit_events} events)."
            )
            if report.notes:
                self.stdout.write(
                    f"{len(report.notes)} restored file(s) have no row: left by interrupted "
                    "uploads before the backup (`monev evidence gc` removes them)."
                )
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"The archive is from older code: {len(pending)} migration(s) to apply. "
                    "Run `monev migrate`, then `monev check`."
                )
            )
