"""The `external` import kind: an evaluator loads SDI for many institutions from one file;
preview lists good and bad rows (rows outside the importer's scope rejected), apply is all or
nothing, the same file again changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from external_support import (
    actions,
    answer,
    csv_file,
    evaluator,
    pemdi_period,
    preview,
    rejected,
    set_province,
)

from monev.external.models import ExternalResult
from monev.imports import services
from monev.institutions.models import Institution
from monev.lib.errors import Forbidden

pytestmark = pytest.mark.django_db

HEADER = [
    "Kode Instansi",
    "Indikator",
    "Tahun Data",
    "Nilai Sumber",
    "Nilai Indikator",
    "Sumber/Keterangan",
]


@pytest.fixture
def jateng(world):
    set_province(world)
    world.other_institution.province = "Jawa Timur"
    world.other_institution.save(update_fields=["province"])
    Institution.objects.create(
        code="kab-jateng",
        name="Pemerintah Kabupaten Jateng",
        kind="kabupaten",
        province="Jawa Tengah",
    )
    return evaluator("eval-jateng", "provinsi", "Jawa Tengah")


GOOD = [
    ["kota-contoh", "5", "2025", "68,75", "", "Evaluasi SDI 2025"],
    ["kab-jateng", "5", "2025", "25", "", "https://sdi.example.go.id/2025"],
    ["kota-contoh", "7", "2025", "", "2,60", "EPSS BPS 2025"],
    ["Pemerintah Kota Contoh", "18", "2025", "68.75", "", ""],
]


def test_good_and_bad_rows_are_listed_and_nothing_is_written(world, jateng, tmp_path):
    period = pemdi_period(world)
    rows = [
        HEADER,
        *GOOD,
        ["kab-lain", "5", "2025", "50", "", ""],  # outside the province
        ["kota-tidak-ada", "5", "2025", "50", "", ""],  # unknown
        ["kota-contoh", "99", "2025", "50", "", ""],  # unknown indicator
        ["kota-contoh", "1", "2025", "50", "", ""],  # not imported
        ["kota-contoh", "6", "2025", "7", "", ""],  # SJIG is 1-5
        ["kab-jateng", "18", "2025", "150", "", ""],  # SDI is 0-100
        ["kab-jateng", "7", "2025", "", "3", ""],  # entered without a source
        ["kab-jateng", "6", "2025", "tiga", "", ""],  # not a number
        ["kota-contoh", "5", "2025", "70", "", ""],  # the same as row 2
        ["kota-contoh", "6", "1999", "3", "", ""],  # not a data year
    ]
    batch = preview(jateng, "external", csv_file(tmp_path / "sdi.csv", rows))
    found = {row: message for row, _column, message in rejected(batch)}
    assert sorted(found) == list(range(6, 16))
    assert "di luar kewenangan" in found[6] and "di luar kewenangan" in found[7]
    assert "Indikator 99 tidak ada" in found[8]
    assert "tidak dinilai dari indeks instansi lain" in found[9]
    assert found[11] == "Nilai Indeks SDI aspek Interoperabilitas Data harus antara 0 dan 100."
    assert "butuh sumbernya" in found[12]
    assert "sudah ada di baris 2" in found[14]
    assert actions(batch) == {"create": 4}
    outcome = services.import_apply(actor=jateng, batch_id=batch.pk)
    assert not outcome.applied
    assert not ExternalResult.objects.exists()
    assert answer(period, "5").level == 1


def test_a_clean_file_applies_all_rows_and_again_changes_nothing(world, jateng, tmp_path):
    period = pemdi_period(world)
    path = csv_file(tmp_path / "sdi.csv", [HEADER, *GOOD])
    batch = preview(jateng, "external", path)
    assert rejected(batch) == [] and batch.institution_id is None
    outcome = services.import_apply(actor=jateng, batch_id=batch.pk)
    assert outcome.applied
    assert ExternalResult.objects.count() == 4
    assert answer(period, "5").level == Decimal("3.75")
    assert answer(period, "7").level == Decimal("2.60")
    assert answer(period, "18").level == Decimal("3.75")
    sdi = ExternalResult.objects.get(institution__code="kab-jateng")
    assert sdi.value == Decimal("2.00") and sdi.source_url.startswith("https://")
    again = preview(jateng, "external", path)
    assert actions(again) == {"unchanged": 4}
    changed = csv_file(tmp_path / "sdi2.csv", [HEADER, ["kota-contoh", "5", "2025", "75", "", ""]])
    update = preview(jateng, "external", changed)
    assert actions(update) == {"update": 1}
    assert services.import_apply(actor=jateng, batch_id=update.pk).applied
    assert answer(period, "5").level == Decimal("4.00")
    assert ExternalResult.objects.count() == 5  # the earlier result stays


def test_a_koordinator_imports_only_for_their_institution(world, tmp_path):
    rows = [
        HEADER,
        ["kota-contoh", "5", "2025", "50", "", ""],
        ["kab-lain", "5", "2025", "50", "", ""],
    ]
    batch = preview(world.koordinator, "external", csv_file(tmp_path / "k.csv", rows))
    assert [row for row, _c, _m in rejected(batch)] == [3]
    op = preview(world.operator, "external", csv_file(tmp_path / "o.csv", rows[:2]))
    assert [row for row, _c, _m in rejected(op)] == [2]


def test_the_kind_through_an_institution_needs_a_recorder(world, tmp_path):
    path = csv_file(tmp_path / "k.csv", [HEADER, ["kota-contoh", "5", "2025", "50", "", ""]])
    batch = preview(world.koordinator, "external", path, institution_id=world.institution.pk)
    assert batch.institution_id == world.institution.pk and rejected(batch) == []
    with pytest.raises(Forbidden):
        preview(world.operator, "external", path, institution_id=world.institution.pk)


def test_a_file_without_the_columns_is_refused_as_a_whole(world, tmp_path):
    batch = preview(
        world.koordinator, "external", csv_file(tmp_path / "x.csv", [["a", "b"], ["1", "2"]])
    )
    assert rejected(batch)[0][0] == 0


def test_a_levels_import_leaves_imported_indicators_unchanged_and_says_why(world, tmp_path):
    period = pemdi_period(world)
    rows = [
        ["No. Indikator", "Tingkat Mandiri", "Penjelasan"],
        ["1", "2", "Kebijakan internal"],
        ["5", "4", "SDI kami bagus"],
    ]
    batch = preview(
        world.koordinator, "levels", csv_file(tmp_path / "l.csv", rows), period_id=period.pk
    )
    assert rejected(batch) == []
    changes = {c["subject"]: c for c in batch.report["changes"]}
    assert changes["Indikator 5"]["action"] == "unchanged"
    assert "Nilai indikator ini berasal dari Indeks SDI" in changes["Indikator 5"]["note"]
    assert changes["Indikator 1"]["action"] == "update"
    assert services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    assert answer(period, "5").level == 1 and answer(period, "1").level == 2
