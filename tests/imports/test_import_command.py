"""`monev import KIND FILE (--period ID | --institution CODE) [--dry-run]`: runs as the
system, prints every rejected row, exits non-zero and writes nothing when a row is rejected."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from import_support import csv_file, xlsx

from monev.audit.models import AuditEvent
from monev.imports.models import ImportBatch
from monev.institutions.models import Unit

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_levels_into_a_period(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat", "Penjelasan"], ["1", "3", "Ada"]])
    out, _err = _run("levels", path, "--period", world.period.pk)
    assert "1 changed" in out and "Applied" in out
    assert world.answer("1").level == 3
    assert AuditEvent.objects.get(action="answer.save").actor_label == "system"


def test_a_dry_run_writes_nothing(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    out, _err = _run("levels", path, "--period", world.period.pk, "--dry-run")
    assert "Dry run" in out and world.answer("1").level is None


def test_rejected_rows_are_printed_and_nothing_is_written(world, tmp_path):
    path = csv_file(
        tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"], ["2", "8"], ["77", "1"]]
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import", "levels", str(path), "--period", str(world.period.pk), stdout=out, stderr=err
        )
    assert failed.value.returncode == 1
    assert "row 3, column Tingkat" in err.getvalue() and "row 4, column Indikator" in err.getvalue()
    assert world.answer("1").level is None
    assert ImportBatch.objects.get().status == "discarded"


def test_it_imports_units_and_the_matrix(world, tmp_path):
    people = xlsx(tmp_path / "p.xlsx", {"Unit": [["Kode", "Nama"], ["C", "Dinas C"]]})
    _run("people", people, "--institution", "kota-contoh")
    assert Unit.objects.filter(institution=world.institution, code="C").exists()
    matrix = csv_file(tmp_path / "m.csv", [["Indikator", "Kode Unit"], ["1", "C"]])
    out, _err = _run("assignment", matrix, "--period", world.period.pk)
    assert "removed" in out
    assert list(world.answer("1").units.values_list("code", flat=True)) == ["C"]


def test_it_needs_the_right_target(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    with pytest.raises(CommandError, match="--period"):
        _run("levels", path)
    with pytest.raises(CommandError, match="code"):
        _run("people", path, "--institution", "tidak-ada")


def test_an_unreadable_file_is_an_error_not_a_traceback(world, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match=r"kosong|empty"):
        _run("levels", path, "--period", world.period.pk)
