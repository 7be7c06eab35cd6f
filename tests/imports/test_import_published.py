"""Published results of past years, including the quoted reference file (tests/fixtures)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.text import slugify
from import_support import actions, csv_file, preview, rejected

from monev.audit.models import AuditEvent
from monev.evaluations.models import PublishedResult
from monev.imports import services
from monev.institutions.models import Institution

pytestmark = pytest.mark.django_db

# The published indices as they were quoted, in the layout people receive them (tests/fixtures).
REFERENCE = Path(__file__).parents[1] / "fixtures" / "published-indices.csv"
HEADER = ["Kode Instansi", "Tahun", "Indeks", "Predikat", "Instrumen", "Sumber", "Catatan"]


def test_it_imports_published_results_with_a_decimal_comma(world, tmp_path):
    path = csv_file(
        tmp_path / "hasil.csv",
        [
            HEADER,
            ["kota-contoh", "2023", "3,41", "Baik", "spbe-2020", "https://contoh.go.id", ""],
            ["Pemerintah Kota Contoh", "2024", "3.5", "Sangat Baik", "", "", "nama lengkap"],
        ],
        delimiter=";",
    )
    batch = preview(world.admin, "published", path, institution_id=world.institution.pk)
    assert rejected(batch) == []
    assert services.import_apply(actor=world.admin, batch_id=batch.pk).applied
    results = {
        (r.year, r.instrument_id): (r.index, r.predicate) for r in PublishedResult.objects.all()
    }
    assert results == {
        (2023, "spbe-2020"): (Decimal("3.41"), "Baik"),
        (2024, ""): (Decimal("3.50"), "Sangat Baik"),
    }
    event = AuditEvent.objects.get(action="published_result.import")
    assert event.actor == world.admin and event.institution_id == world.institution.pk
    assert set(event.after) == {"2023/spbe-2020", "2024/-"}


def test_rows_of_institutions_the_user_does_not_manage_are_rejected(world, tmp_path):
    path = csv_file(
        tmp_path / "hasil.csv",
        [
            HEADER,
            ["kota-contoh", "2023", "3.41", "", "", "", ""],
            ["kab-lain", "2023", "2.1", "", "", "", ""],
            ["tidak-ada", "2023", "2.1", "", "", "", ""],
        ],
    )
    batch = preview(world.admin, "published", path, institution_id=world.institution.pk)
    assert [(row, column) for row, column, _m in rejected(batch)] == [
        (3, "Kode Instansi"),
        (4, "Kode Instansi"),
    ]
    assert not services.import_apply(actor=world.admin, batch_id=batch.pk).applied
    assert not PublishedResult.objects.exists()


def test_it_rejects_bad_years_indices_and_duplicates(world, tmp_path):
    path = csv_file(
        tmp_path / "hasil.csv",
        [
            HEADER,
            ["kota-contoh", "dua ribu", "3", "", "", "", ""],
            ["kota-contoh", "2023", "5,5", "", "", "", ""],
            ["kota-contoh", "2023", "3.123", "", "", "", ""],
            ["kota-contoh", "2024", "3", "", "", "", ""],
            ["kota-contoh", "2024", "3.1", "", "", "", ""],
        ],
    )
    batch = preview(world.admin, "published", path, institution_id=world.institution.pk)
    assert [(row, column) for row, column, _m in rejected(batch)] == [
        (2, "Tahun"),
        (3, "Indeks"),
        (4, "Indeks"),
        (6, "Tahun"),
    ]


def test_an_unchanged_result_is_reported_and_a_changed_one_updated(world, tmp_path):
    PublishedResult.objects.create(institution=world.institution, year=2023, index=Decimal("3.00"))
    PublishedResult.objects.create(institution=world.institution, year=2022, index=Decimal("2.00"))
    path = csv_file(
        tmp_path / "hasil.csv",
        [
            ["Kode Instansi", "Tahun", "Indeks"],
            ["kota-contoh", "2023", "3"],
            ["kota-contoh", "2022", "2.5"],
        ],
    )
    batch = preview(world.admin, "published", path, institution_id=world.institution.pk)
    assert actions(batch) == {"unchanged": 1, "update": 1}
    services.import_apply(actor=world.admin, batch_id=batch.pk)
    assert PublishedResult.objects.get(year=2022).index == Decimal("2.50")


def test_the_reference_file_imports_as_it_is(db):
    with REFERENCE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = sorted({row["institution"] for row in rows})
    Institution.objects.bulk_create(
        [
            Institution(code=slugify(name)[:60] or f"i{i}", name=name, kind="kota")
            for i, name in enumerate(names)
        ]
    )
    call_command("import", "published", str(REFERENCE))
    assert PublishedResult.objects.count() == len(rows)
    bandung = PublishedResult.objects.get(institution__name="Pemerintah Kota Bandung", year=2024)
    assert (bandung.index, bandung.predicate) == (Decimal("4.59"), "Memuaskan")
    assert bandung.source.startswith("http")
    # A second run changes nothing.
    call_command("import", "published", str(REFERENCE))
    assert PublishedResult.objects.count() == len(rows)


def test_the_reference_file_previews_for_an_admin_rejecting_other_institutions(world):
    Institution.objects.create(code="kota-bandung", name="Pemerintah Kota Bandung", kind="kota")
    batch = preview(world.admin, "published", REFERENCE, institution_id=world.institution.pk)
    with REFERENCE.open(encoding="utf-8") as fh:
        total = sum(1 for _ in fh) - 1
    assert len(rejected(batch)) == total
