"""`monev backup` then `monev restore` into an empty deployment loses nothing; a damaged
archive, a non-empty deployment, another engine or newer code are refused before anything
is written. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import json
import stat
import subprocess
import tarfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from operations_support import (
    FIXTURES,
    MONEV,
    Deployment,
    database_url_of_this_test,
    evidence_bytes,
    flip_a_byte,
    rewrite_manifest,
    upload,
)

import monev
from monev.audit.models import AuditEvent, ChainHead
from monev.evidence import services
from monev.evidence.models import StoredFile
from monev.operations.database import current_counts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def instruments(settings, tmp_path):
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "own-instrument.yaml").write_text("# an evaluator's own instrument\n")
    settings.MONEV_INSTRUMENT_DIRS = [folder]
    return folder


@pytest.fixture
def populated(world, instruments):
    """The world, several evidence files (one with two versions) and their audit events."""
    first = upload(world, "good.pdf", title="Perwal Arsitektur SPBE")
    upload(world, "good.png")
    upload(world, "good.docx")
    upload(world, "good.xlsx")
    services.evidence_add_version(
        actor=world.koordinator,
        evidence_id=first.pk,
        expected_version=first.version,
        uploaded=SimpleUploadedFile("v2.odt", (FIXTURES / "good.odt").read_bytes()),
        change_note="tanda tangan",
    )
    return world


def backup(tmp_path, name="backup.tar"):
    out = tmp_path / name
    call_command("backup", out=str(out), stdout=StringIO())
    return out


def manifest_of(archive) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def test_the_archive_holds_the_database_every_file_and_a_manifest(populated, tmp_path):
    archive = backup(tmp_path)

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []
    manifest = manifest_of(archive)
    engine = connection.vendor
    assert manifest["database"]["engine"] == engine
    assert manifest["monev_version"] == monev.__version__
    assert manifest["migrations"]["evidence"].startswith("00")
    stored = set(StoredFile.objects.values_list("storage_name", flat=True))
    assert len(stored) == 5
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {f"files/{name}" for name in stored} <= names
    assert "instruments/own-instrument.yaml" in names
    assert names - {"manifest.json"} == set(manifest["members"])
    assert manifest["counts"]["evidence_files"] == 5
    assert manifest["counts"]["tables"] == current_counts()


def test_a_restore_into_an_empty_deployment_loses_nothing(
    populated, tmp_path, isolated_files, deployments
):
    source_counts = current_counts()
    source_files = evidence_bytes(isolated_files)
    archive = backup(tmp_path)
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode == 0, result.stderr
    assert "Every checksum matches" in result.stdout
    assert "the audit trail is intact" in result.stdout
    assert target.table_counts() == source_counts
    assert sum(source_counts.values()) > 100
    assert evidence_bytes(target.files_dir) == source_files
    assert len(source_files) == 5
    own = target.data_dir / "instruments" / "own-instrument.yaml"
    assert own.read_text() == "# an evaluator's own instrument\n"
    verify = target.run("audit", "verify")
    assert verify.returncode == 0, verify.stderr
    check = target.run("check")
    assert check.returncode == 0, check.stderr
    assert "5 evidence files" in check.stdout


def test_a_restore_into_a_freshly_migrated_deployment_works_too(populated, tmp_path, deployments):
    archive = backup(tmp_path)
    target = deployments.make()
    assert target.run("migrate", "--no-input", "-v", "0").returncode == 0

    result = target.run("restore", str(archive))

    assert result.returncode == 0, result.stderr
    assert target.table_counts() == manifest_of(archive)["counts"]["tables"]


def test_a_damaged_member_is_refused_before_anything_is_written(populated, tmp_path, deployments):
    archive = backup(tmp_path)
    damaged = next(n for n in manifest_of(archive)["members"] if n.startswith("files/"))
    flip_a_byte(archive, damaged)
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode != 0
    assert f"BAD {damaged}: checksum" in result.stderr
    assert "nothing was restored" in result.stderr
    assert evidence_bytes(target.files_dir) == {}
    assert target.table_counts() == {}


def test_a_damaged_database_dump_is_refused_too(populated, tmp_path, deployments):
    archive = backup(tmp_path)
    flip_a_byte(archive, manifest_of(archive)["database"]["member"])
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode != 0
    assert "is damaged" in result.stderr
    assert target.table_counts() == {}


def test_an_archive_cut_short_is_refused(populated, tmp_path, deployments):
    archive = backup(tmp_path)
    whole = archive.read_bytes()
    archive.write_bytes(whole[: len(whole) // 2])
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode != 0
    assert "cut short" in result.stderr or "cannot be read" in result.stderr
    assert evidence_bytes(target.files_dir) == {}


def test_it_refuses_a_deployment_that_has_data(populated, tmp_path):
    archive = backup(tmp_path)
    with pytest.raises(CommandError, match="not empty: its database has data"):
        call_command("restore", str(archive))


def test_it_refuses_a_deployment_whose_storage_has_evidence(populated, tmp_path, deployments):
    archive = backup(tmp_path)
    target = deployments.make()
    stray = target.files_dir / "evidence" / "aa" / "bb" / ("ab" * 32)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left over")

    result = target.run("restore", str(archive))

    assert result.returncode != 0
    assert "storage already holds evidence files" in result.stderr
    assert target.table_counts() == {}


def test_it_refuses_an_archive_of_the_other_engine(populated, tmp_path, deployments):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = tmp_path / "other.tar"
    rewrite_manifest(backup(tmp_path), archive, lambda m: m["database"].update(engine=other))
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode != 0
    assert "cannot be loaded into the other" in result.stderr


def test_it_refuses_an_archive_from_newer_code(populated, tmp_path, deployments):
    archive = tmp_path / "newer.tar"
    rewrite_manifest(
        backup(tmp_path),
        archive,
        lambda m: m["applied_migrations"].append(["evidence", "9999_from_the_future"]),
    )
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode != 0
    assert "comes from newer code" in result.stderr
    assert "evidence.9999_from_the_future" in result.stderr
    assert target.table_counts() == {}


def test_it_refuses_an_archive_of_a_newer_monev(populated, tmp_path, deployments):
    archive = tmp_path / "newer.tar"
    rewrite_manifest(backup(tmp_path), archive, lambda m: m.update(monev_version="99.0.0"))
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode != 0
    assert "made by Monev 99.0.0, newer than this Monev" in result.stderr


def test_an_archive_from_older_code_is_restored_then_migrate_is_asked_for(
    populated, tmp_path, deployments
):
    def older(manifest):
        # As if the latest planning migration had not existed when the backup was made.
        latest = max(name for app, name in manifest["applied_migrations"] if app == "planning")
        manifest["applied_migrations"].remove(["planning", latest])

    archive = tmp_path / "older.tar"
    rewrite_manifest(backup(tmp_path), archive, older)
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode == 0, result.stderr
    assert "Run `monev migrate`, then `monev check`" in result.stdout


def test_a_backup_never_overwrites_an_existing_file(populated, tmp_path):
    existing = tmp_path / "backup.tar"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", out=str(existing))
    assert existing.read_bytes() == b"yesterday's backup"


def test_a_gzip_archive_restores_too(populated, tmp_path, deployments):
    archive = backup(tmp_path, "backup.tar.gz")
    with archive.open("rb") as handle:
        assert handle.read(2) == b"\x1f\x8b"
    target = deployments.make()

    result = target.run("restore", str(archive))

    assert result.returncode == 0, result.stderr


def test_a_backup_piped_to_standard_output_restores(populated, tmp_path, deployments):
    # The source deployment itself, driven as a process: the test's database and files.
    source = Deployment(tmp_path, database_url_of_this_test())
    piped = tmp_path / "piped.tar"
    with piped.open("wb") as handle:
        made = subprocess.run(  # noqa: S603
            [str(MONEV), "backup", "--out", "-"],
            stdout=handle,
            stderr=subprocess.PIPE,
            env=source.env(),
            timeout=300,
            check=False,
        )
    assert made.returncode == 0, made.stderr
    assert b"Backup written to standard output" in made.stderr
    target = deployments.make()

    result = target.run("restore", str(piped))

    assert result.returncode == 0, result.stderr
    assert target.table_counts() == current_counts()


def archived_anchor(archive) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("audit/anchor.json"))


def test_a_backup_carries_the_audit_anchor_of_its_dump_and_renews_the_live_one(
    populated, tmp_path, settings
):
    archive = backup(tmp_path)

    anchor = archived_anchor(archive)
    heads = {h.key: {"seq": h.last_seq, "hash": h.last_hash} for h in ChainHead.objects.all()}
    assert anchor["chains"] == heads and heads
    assert "audit/anchor.json" in manifest_of(archive)["members"]
    assert json.loads(settings.MONEV_AUDIT_ANCHOR.read_text()) == anchor


def test_a_backup_of_a_truncated_audit_trail_keeps_the_old_anchor_and_warns(
    populated, tmp_path, settings
):
    call_command("audit", "anchor", stdout=StringIO(), stderr=StringIO())
    before = settings.MONEV_AUDIT_ANCHOR.read_text()
    head = ChainHead.objects.get(key=f"institution:{populated.institution.pk}")
    AuditEvent.objects.filter(chain=head.key, seq=head.last_seq).delete()
    last = AuditEvent.objects.get(chain=head.key, seq=head.last_seq - 1)
    ChainHead.objects.filter(pk=head.pk).update(last_seq=last.seq, last_hash=last.hash)
    err = StringIO()

    call_command("backup", out=str(tmp_path / "backup.tar"), stdout=StringIO(), stderr=err)

    assert (tmp_path / "backup.tar").exists()  # the backup itself is still made
    assert "newest events were deleted" in err.getvalue()
    assert "anchor was not renewed" in err.getvalue()
    assert settings.MONEV_AUDIT_ANCHOR.read_text() == before


def test_a_restore_brings_the_anchor_so_a_later_truncation_is_detected(
    populated, tmp_path, deployments
):
    archive = backup(tmp_path)
    target = deployments.make()
    assert target.run("restore", str(archive)).returncode == 0

    restored = target.data_dir / "audit-anchor.json"
    assert json.loads(restored.read_text()) == archived_anchor(archive)
    chain = f"institution:{populated.institution.pk}"
    truncated = target.run(
        "shell",
        "-c",
        "from monev.audit.models import AuditEvent, ChainHead; "
        f"head = ChainHead.objects.get(key='{chain}'); "
        "AuditEvent.objects.filter(chain=head.key, seq=head.last_seq).delete(); "
        "last = AuditEvent.objects.get(chain=head.key, seq=head.last_seq - 1); "
        "ChainHead.objects.filter(pk=head.pk).update(last_seq=last.seq, last_hash=last.hash)",
    )
    assert truncated.returncode == 0, truncated.stderr
    verify = target.run("audit", "verify")
    assert verify.returncode == 1
    assert "newest events were deleted" in verify.stderr


def test_a_restore_refuses_to_replace_another_audit_anchor(populated, tmp_path, deployments):
    archive = backup(tmp_path)
    target = deployments.make()
    other = target.data_dir / "audit-anchor.json"
    other.write_text('{"format": "monev-audit-anchor"}')

    result = target.run("restore", str(archive))

    assert result.returncode != 0
    assert "different audit anchor" in result.stderr and "Nothing was restored" in result.stderr
    assert other.read_text() == '{"format": "monev-audit-anchor"}'
    assert target.table_counts() == {}
