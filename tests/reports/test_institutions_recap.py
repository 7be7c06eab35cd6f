"""The evaluator's recap over institutions: only the institutions one may view, scored at the
headline stage, ranked, and written as a workbook with a ranking sheet and one row per
institution x indicator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from reports_support import other_period, rows, set_levels, workbook

from monev.evaluations.models import AssessorPass
from monev.institutions.permissions import Access
from monev.lib.errors import InvalidInput
from monev.reports.exports import export_institutions
from monev.reports.institutions import institutions_recap
from monev.reports.workbook import LEVEL_FORMAT

pytestmark = pytest.mark.django_db


def test_a_user_sees_only_the_institutions_they_belong_to(world):
    set_levels(world, "2")
    other_period(world)
    mine = institutions_recap(world.koordinator, 2025, "spbe-2020")
    assert [r.institution.code for r in mine.rows] == ["kota-contoh"]
    evaluator = institutions_recap(world.asesor_eksternal, 2025, "spbe-2020")
    assert [r.institution.code for r in evaluator.rows] == ["kab-lain", "kota-contoh"]
    assert [r.rank for r in evaluator.rows] == [1, 2]
    assert [str(r.result.index.reported) for r in evaluator.rows] == ["3.00", "2.00"]
    everyone = institutions_recap(Access.system_viewer(), 2025, "spbe-2020")
    assert len(everyone.rows) == 2
    assert institutions_recap(world.koordinator, 2024, "spbe-2020").rows == []
    assert institutions_recap(world.koordinator, 2025, "pemdi-2026").rows == []


def test_equal_indices_share_a_rank_and_unscored_institutions_come_last(world):
    set_levels(world, "3")
    other_period(world, "3")
    recap = institutions_recap(Access.system_viewer(), 2025, "spbe-2020")
    assert [r.rank for r in recap.rows] == [1, 1]
    world.period.answers.update(level=None)
    recap = institutions_recap(Access.system_viewer(), 2025, "spbe-2020")
    assert [(r.institution.code, r.rank, r.stage) for r in recap.rows] == [
        ("kab-lain", 1, "self"),
        ("kota-contoh", None, None),
    ]


def test_the_evaluasi_is_taken_over_the_pemantauan_and_the_furthest_complete_stage(world):
    set_levels(world, "2")
    evaluasi = world.period.__class__.objects.get(pk=other_period(world, "3").pk)
    other_period_pemantauan = other_period(world, "1", kind="pemantauan")
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=answer, stage=AssessorPass.Stage.FINAL, level=Decimal("4"))
        for answer in evaluasi.answers.all()
    )
    recap = institutions_recap(Access.system_viewer(), 2025, "spbe-2020")
    other = next(r for r in recap.rows if r.institution.code == "kab-lain")
    assert other.period.pk == evaluasi.pk != other_period_pemantauan.pk
    assert other.stage == "final" and str(other.result.index.reported) == "4.00"
    assert other.given == 47


def test_the_recap_workbook_has_a_ranking_and_a_row_per_institution_and_indicator(world):
    set_levels(world, "2")
    other_period(world, "3")
    exported = export_institutions(world.asesor_eksternal, "2025", "spbe-2020")
    assert exported.filename == "rekap-instansi-spbe-2020-2025.xlsx"
    book = workbook(exported.content)
    assert book.sheetnames == ["Peringkat", "Tingkat per Indikator", "Keterangan"]
    ranking = rows(book["Peringkat"])
    assert [(r["Peringkat"], r["Kode Instansi"], r["Indeks"], r["Predikat"]) for r in ranking] == [
        (1, "kab-lain", 3, "Baik"),
        (2, "kota-contoh", 2, "Cukup"),
    ]
    assert ranking[0]["Jenis"] == "Kabupaten" and ranking[0]["Periode"] == "evaluasi"
    levels = book["Tingkat per Indikator"]
    data = rows(levels)
    assert len(data) == 2 * 47
    assert [r["No. Indikator"] for r in data[:3]] == ["1", "2", "3"]
    assert data[0]["Instansi"] == "Pemerintah Kabupaten Lain" and data[0]["Tingkat"] == 3
    assert data[47]["Kode Instansi"] == "kota-contoh" and data[47]["Tingkat"] == 2
    assert data[0]["Tahap"] == "Penilaian Mandiri"
    assert levels["H2"].number_format == "0"  # a whole level is written whole (3, not 3.00)
    assert levels.freeze_panes == "C2"
    assert levels.auto_filter.ref == "A1:I95"
    assert book["Peringkat"]["F2"].number_format == LEVEL_FORMAT


def test_text_with_markup_and_control_characters_is_written_safely(world):
    world.institution.name = 'Kota <Contoh> & "Sekitarnya"\x07'
    world.institution.save()
    set_levels(world, "2")
    data = rows(
        workbook(export_institutions(world.koordinator, 2025, "spbe-2020").content)[
            "Tingkat per Indikator"
        ]
    )
    assert data[0]["Instansi"] == 'Kota <Contoh> & "Sekitarnya"'


@pytest.mark.parametrize(
    ("year", "instrument"),
    [("", "spbe-2020"), ("dua", "spbe-2020"), ("2025", ""), ("1999", "spbe-2020")],
)
def test_a_bad_year_or_instrument_is_refused_clearly(world, year, instrument):
    with pytest.raises(InvalidInput) as refused:
        export_institutions(world.koordinator, year, instrument)
    assert refused.value.details
