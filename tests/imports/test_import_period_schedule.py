"""Periods created in bulk (`monev import periods`, the page, the API) start from the
instrument's default schedule unless the row gives milestone dates (issue 15, point 6). The
years are ahead of today, so that the whole schedule applies whenever the tests run."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from import_support import csv_file, preview, rejected

sys.path.insert(0, str(Path(__file__).parents[1] / "assignments"))
from assign_support import make_evaluators

from monev.evaluations.models import Period
from monev.imports import services

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
COLUMNS = ["Kode Instansi", "Tahun", "Jenis", "Instrumen", "Pengumuman"]


def due(period: Period) -> dict[str, datetime]:
    return {m.kind: m.due_at for m in period.milestones.all()}


def ahead(offset: int = 1) -> int:
    return timezone.localdate().year + offset


def test_a_row_without_dates_starts_from_the_schedule_and_one_with_dates_keeps_its_own(
    world, tmp_path
):
    evaluators = make_evaluators(world)
    path = csv_file(
        tmp_path / "periode.csv",
        [
            COLUMNS,
            ["kota-contoh", ahead(1), "evaluasi", "pemdi-2026", ""],
            ["kota-contoh", ahead(2), "evaluasi", "pemdi-2026", f"{ahead(2)}-12-20"],
            ["kota-contoh", ahead(3), "evaluasi", "spbe-2020", ""],
        ],
    )
    batch = preview(evaluators.jabar, "periods", path)
    assert rejected(batch) == []
    shown = [change["after"] for change in batch.report["changes"]]
    assert "7 tahapan dari jadwal bawaan instrumen" in shown[0]
    assert "jadwal bawaan" not in shown[1] and "jadwal bawaan" not in shown[2]
    outcome = services.import_apply(actor=evaluators.jabar, batch_id=batch.pk)
    assert outcome.applied
    periods = {p.year: p for p in Period.objects.filter(institution=world.institution)}
    assert len(due(periods[ahead(1)])) == 7
    assert due(periods[ahead(1)])["visitation"] == datetime(ahead(1), 10, 30, 23, 59, tzinfo=WIB)
    announced = datetime(ahead(2), 12, 20, 16, 0, tzinfo=WIB)  # a date alone: 16:00
    assert due(periods[ahead(2)]) == {"announcement": announced}
    assert due(periods[ahead(3)]) == {}


def test_the_command_creates_pemdi_periods_on_the_national_schedule(world, tmp_path):
    path = csv_file(
        tmp_path / "periode.csv",
        [COLUMNS[:4], ["kota-contoh", ahead(), "evaluasi", "pemdi-2026"]],
    )
    call_command("import", "periods", str(path))
    period = Period.objects.get(institution=world.institution, year=ahead())
    assert due(period)["self_assessment_open"] == datetime(ahead(), 8, 1, 0, 0, tzinfo=WIB)
