"""`monev check`: Django's system checks (options such as --deploy unchanged), then every
stored evidence file against its SHA-256 and the audit chain; exit 1 with a precise list."""

from __future__ import annotations

import os
import time
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from operations_support import Deployment, upload

from monev.audit.models import AuditEvent, ChainHead
from monev.evidence.models import StoredFile


def check(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_check(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match=r"Integrity: \d+ problem\(s\) found") as raised:
        call_command("check", *args, stdout=StringIO(), stderr=err)
    assert raised.value.returncode == 1
    return err.getvalue()


@pytest.fixture
def files(world):
    return [upload(world, name).versions.get().file for name in ("good.pdf", "good.png")]


def make_old(name: str) -> None:
    two_hours_ago = time.time() - 7200
    os.utime(default_storage.path(name), (two_hours_ago, two_hours_ago))


def test_it_runs_the_system_checks_then_passes_intact_files_and_chain(files):
    out, _err = check()
    assert "System check identified no issues" in out
    assert "Integrity: 2 evidence files" in out
    assert "audit trail intact" in out


def test_it_names_a_modified_file(files):
    changed = files[0]
    with open(default_storage.path(changed.storage_name), "ab") as handle:
        handle.write(b"tampered")

    err = failing_check("--integrity-only")

    assert f"MODIFIED {changed.storage_name} (stored file {changed.pk})" in err
    assert files[1].storage_name not in err


def test_it_names_a_missing_file(files):
    default_storage.delete(files[1].storage_name)

    err = failing_check("--integrity-only")

    assert f"MISSING  {files[1].storage_name} (stored file {files[1].pk}): not in storage" in err


def test_it_names_an_orphan_file_but_not_an_upload_in_progress(files):
    orphan = "evidence/ab/cd/" + "abcd" * 16
    default_storage.save(orphan, StringIO("nobody's"))
    out, _err = check("--integrity-only")
    assert "no row yet (an upload in progress?)" in out

    make_old(orphan)
    err = failing_check("--integrity-only")

    assert f"ORPHAN   {orphan}: no stored-file row points to it" in err


def test_it_names_a_tampered_audit_event(files):
    event = AuditEvent.objects.filter(action__startswith="evidence").order_by("pk").first()
    AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")

    err = failing_check("--integrity-only")

    assert f"AUDIT    chain {event.chain}, event #{event.seq}" in err
    assert "content changed after it was written" in err


def test_it_lists_every_problem_at_once(files):
    default_storage.delete(files[0].storage_name)
    StoredFile.objects.filter(pk=files[1].pk).update(sha256="0" * 64)

    err = failing_check()

    assert "MISSING" in err and "MODIFIED" in err


def test_skip_integrity_runs_the_system_checks_alone(files):
    default_storage.delete(files[0].storage_name)
    out, _err = check("--skip-integrity")
    assert "no issues" in out and "Integrity" not in out


def test_monev_check_is_this_command_and_deploy_still_runs_djangos_checks(tmp_path):
    deployment = Deployment(tmp_path, None)
    assert deployment.run("migrate", "--no-input", "-v", "0").returncode == 0

    plain = deployment.run("check")
    deploy = deployment.run("check", "--deploy")

    assert plain.returncode == 0, plain.stderr
    assert "no issues" in plain.stdout and "Integrity: 0 evidence files" in plain.stdout
    assert deploy.returncode == 0, deploy.stderr
    assert "security.W" in deploy.stderr and "Integrity:" in deploy.stdout


def test_check_before_migrate_runs_the_system_checks_and_says_integrity_waits(tmp_path):
    result = Deployment(tmp_path, None).run("check")

    assert result.returncode == 0, result.stderr
    assert "Integrity checks skipped: the database has no tables yet" in result.stdout


def test_it_fails_when_the_newest_audit_events_were_deleted_after_the_anchor(world, files):
    call_command("audit", "anchor", stdout=StringIO(), stderr=StringIO())
    head = ChainHead.objects.get(key=f"institution:{world.institution.pk}")
    last = AuditEvent.objects.get(chain=head.key, seq=head.last_seq - 1)
    AuditEvent.objects.filter(chain=head.key, seq=head.last_seq).delete()
    ChainHead.objects.filter(pk=head.pk).update(last_seq=last.seq, last_hash=last.hash)

    err = failing_check("--integrity-only")

    assert f"AUDIT    chain {head.key}, event #{head.last_seq}" in err
    assert "newest events were deleted" in err
