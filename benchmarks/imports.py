"""Imports at the size limit: 10,000 rows, previewed (read, validated, kept) and applied.

- published results: 10,000 rows (100 institutions x 100 years) from CSV, previewed and then
  applied as the system (10,000 results written through the service, each with its audit event);
- levels: 10,000 rows of a Penilaian Mandiri-shaped .xlsx previewed into one period (47
  indicators: the rest are duplicates, each rejected with its row - the worst case for the
  report).

In a throwaway database (see benchmarks/overview.py); the real database is never touched.
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

from benchmarks import Row, benchmark, seconds
from benchmarks.overview import _django, throwaway_database

ROWS = 10_000
INSTITUTIONS = 100


def _published_csv(directory: Path) -> Path:
    path = directory / "hasil.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Kode Instansi", "Tahun", "Indeks", "Predikat", "Sumber"])
        for n in range(ROWS):
            institution, year = divmod(n, ROWS // INSTITUTIONS)
            writer.writerow([f"bench-{institution}", 2000 + year, "3,25", "Baik", "https://x"])
    return path


def _levels_xlsx(directory: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Penilaian Mandiri")
    sheet.append(["No. Indikator", "Domain", "Indikator", "Tingkat Mandiri", "Penjelasan"])
    for n in range(ROWS):
        number = str(1 + n % 47)
        sheet.append([number, "Domain", f"Indikator {number}", 3, "Penjelasan " * 10])
    path = directory / "penilaian-mandiri.xlsx"
    workbook.save(path)
    return path


@benchmark("imports", "imports at the limit: 10,000 rows previewed and applied")
def run() -> list[Row]:
    _django()
    from monev.evaluations import services as evaluation_services
    from monev.imports import services
    from monev.institutions.models import Institution

    rows: list[Row] = []
    with throwaway_database(), tempfile.TemporaryDirectory(prefix="monev-impor-") as scratch:
        directory = Path(scratch)
        Institution.objects.bulk_create(
            [
                Institution(code=f"bench-{n}", name=f"Pemerintah Kota Bench {n}", kind="kota")
                for n in range(INSTITUTIONS)
            ]
        )
        published = _published_csv(directory)
        started = time.perf_counter()
        batch = services.import_preview(
            actor=None, kind="published", path=published, filename=published.name
        )
        preview_s = time.perf_counter() - started
        started = time.perf_counter()
        outcome = services.import_apply(actor=None, batch_id=batch.pk)
        apply_s = time.perf_counter() - started
        assert outcome.applied, outcome.message
        rows.append(("published CSV, preview", seconds(preview_s), f"{ROWS:,} rows"))
        rows.append(("published CSV, apply", seconds(apply_s), f"{ROWS:,} results + audit"))

        from django.contrib.auth import get_user_model

        from monev.institutions.models import Membership

        koordinator = get_user_model().objects.create_user(username="bench-koordinator")
        Membership.objects.create(
            user=koordinator, institution_id=Institution.objects.first().pk, role="koordinator"
        )
        period = evaluation_services.period_create(
            actor=koordinator,
            institution_id=Institution.objects.first().pk,
            year=2025,
            kind="evaluasi",
            instrument="spbe-2020",
        )
        levels = _levels_xlsx(directory)
        started = time.perf_counter()
        batch = services.import_preview(
            actor=koordinator, kind="levels", path=levels, filename=levels.name, period_id=period.pk
        )
        preview_s = time.perf_counter() - started
        rejected = len(batch.report["rejected"])
        rows.append(
            ("levels .xlsx, preview", seconds(preview_s), f"{ROWS:,} rows, {rejected:,} rejected")
        )
    return rows
