"""`monev periods` and `monev export`: the files for scheduled jobs, as the system, with clear
messages and a non-zero exit for bad arguments (no traceback)."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from reports_support import other_period, populate, rows, set_levels, workbook

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_periods_lists_ids_with_institution_kind_year_and_instrument(world):
    other_period(world)
    lines = run("periods").splitlines()
    assert lines[0].split() == ["ID", "INSTITUTION", "KIND", "YEAR", "INSTRUMENT"]
    assert any(
        line.startswith(str(world.period.pk))
        and "Pemerintah Kota Contoh" in line
        and "pemantauan" in line
        and "2025" in line
        and "spbe-2020@1" in line
        for line in lines
    )
    assert len(lines) == 3
    assert len(run("periods", "--year", "2024").splitlines()) == 1


@pytest.mark.parametrize("kind", ["self-assessment", "units", "recap"])
def test_export_writes_the_same_workbook_as_the_pages_with_every_units_rows(world, tmp_path, kind):
    populate(world)
    out = tmp_path / f"{kind}.xlsx"
    message = run("export", "--period", str(world.period.pk), "--kind", kind, "--out", str(out))
    assert f"Wrote {out}" in message
    book = workbook(out.read_bytes())
    assert book.sheetnames[-1] == "Keterangan"
    if kind == "self-assessment":
        assert len(rows(book["Penilaian Mandiri"])) == 47
    if kind == "units":
        assert {"Dinas A", "Dinas B", "Tanpa Unit"} <= set(book.sheetnames)


def test_export_of_institutions_covers_every_institution(world, tmp_path):
    set_levels(world, "2")
    other_period(world, "3")
    out = tmp_path / "rekap.xlsx"
    run(
        "export",
        "--kind",
        "institutions",
        "--year",
        "2025",
        "--instrument",
        "spbe-2020",
        "--out",
        str(out),
    )
    assert len(rows(workbook(out.read_bytes())["Peringkat"])) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "recap"], "needs --period"),
        (["--kind", "recap", "--period", "999999"], "No period 999999"),
        (["--kind", "institutions", "--year", "2025"], "needs --year and --instrument"),
        (["--kind", "institutions", "--year", "dua", "--instrument", "spbe-2020"], "2025"),
        (["--kind", "recap", "--period", "1", "--year", "2025"], "takes --period"),
    ],
)
def test_bad_arguments_are_refused_clearly(world, tmp_path, args, message):
    with pytest.raises(CommandError) as refused:
        run("export", *args, "--out", str(tmp_path / "x.xlsx"))
    assert message in str(refused.value)
    assert not (tmp_path / "x.xlsx").exists()


def test_an_unwritable_destination_is_refused(world, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(
            "export",
            "--kind",
            "recap",
            "--period",
            str(world.period.pk),
            "--out",
            str(tmp_path / "nowhere" / "x.xlsx"),
        )
    with pytest.raises(CommandError, match="is a directory"):
        run("export", "--kind", "recap", "--period", str(world.period.pk), "--out", str(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_the_monev_command_exits_non_zero_without_a_traceback(tmp_path):
    monev = [sys.executable, "-m", "monev"]
    unknown_kind = subprocess.run(  # noqa: S603 - our own command
        [*monev, "export", "--kind", "everything", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert unknown_kind.returncode != 0
    assert "invalid choice" in unknown_kind.stderr and "Traceback" not in unknown_kind.stderr
    usage = subprocess.run(  # noqa: S603 - our own command
        [*monev], capture_output=True, text=True, timeout=120
    )
    assert "export" in usage.stdout and "periods" in usage.stdout
