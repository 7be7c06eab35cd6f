"""The period workbooks read back with openpyxl: sheets, headers, values in the instrument's
order, number formats, frozen header rows, widths, properties and the Keterangan sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from reports_support import DEADLINE, header, populate, rows, workbook

from monev.institutions.access import access_for
from monev.reports.exports import export_period
from monev.reports.workbook import CONTENT_TYPE, INTEGER_FORMAT, LEVEL_FORMAT

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(world):
    populate(world)
    return world


def export(world, user, kind: str):
    return export_period(world.period, access_for(user, world.institution.pk), kind)


def by_number(sheet) -> dict[str, dict]:
    return {row["No. Indikator"]: row for row in rows(sheet)}


def level_formats(sheet, column: str) -> set[str]:
    index = header(sheet).index(column)
    return {
        cells[index].number_format
        for cells in sheet.iter_rows(min_row=2)
        if cells[index].value is not None
    }


def test_every_workbook_has_its_layout_properties_and_keterangan(populated):
    for kind in ("self-assessment", "units", "recap"):
        exported = export(populated, populated.koordinator, kind)
        assert exported.content_type == CONTENT_TYPE
        assert exported.filename.endswith("-kota-contoh-2025.xlsx")
        book = workbook(exported.content)
        assert book.properties.creator == "Monev SPBE"
        assert "Pemerintah Kota Contoh 2025" in book.properties.title
        assert book.sheetnames[-1] == "Keterangan"
        explained = {(r["Lembar"], r["Kolom"]) for r in rows(book["Keterangan"])}
        for sheet in book.worksheets:
            assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
            first = sheet["A1"]
            assert first.font.bold and first.fill.fgColor.rgb.endswith("1F4E79")
            assert sheet.column_dimensions["A"].width > 0
            assert sheet.print_title_rows == "$1:$1"
            if sheet.title != "Keterangan" and kind != "units":
                assert all((sheet.title, name) in explained for name in header(sheet))


def test_the_self_assessment_workbook_follows_the_instrument_and_the_importers_headers(
    populated,
):
    exported = export(populated, populated.koordinator, "self-assessment")
    assert exported.filename == "penilaian-mandiri-kota-contoh-2025.xlsx"
    book = workbook(exported.content)
    assert book.sheetnames == ["Penilaian Mandiri", "Data Dukung", "Keterangan"]
    sheet = book["Penilaian Mandiri"]
    names = header(sheet)
    assert {"No. Indikator", "Tingkat Mandiri", "Penjelasan"} <= set(names)
    assert names[:6] == [
        "No. Indikator",
        "Domain",
        "Aspek",
        "Indikator",
        "Tingkat Mandiri",
        "Penjelasan",
    ]
    for stage in (
        "Tingkat Verifikasi Internal",
        "Penilaian Dokumen",
        "Penilaian Interviu",
        "Visitasi",
        "Tingkat Final",
    ):
        assert stage in names
    data = rows(sheet)
    assert [r["No. Indikator"] for r in data] == [str(n) for n in range(1, 48)]
    assert all(isinstance(r["No. Indikator"], str) for r in data)
    first, second, third = data[0], data[1], data[2]
    assert first["Domain"] == "Kebijakan Internal SPBE"
    assert first["Aspek"] == "Kebijakan Internal Tata Kelola SPBE"
    assert first["Tingkat Mandiri"] == 2
    assert first["Penjelasan"].endswith("Indikator 1.")
    assert "Tingkat 1: Perwal SPBE - No. 12/2024 - 2024-03-01" in first["Data Dukung"]
    assert "https://sso.contoh.go.id/" in first["Data Dukung"]
    assert first["Unit Penanggung Jawab"] == "Dinas A"
    assert "Lengkapi SK tim." in second["Komentar dan Catatan Pengembalian"]
    assert third["Penilaian Dokumen"] == 3
    assert third["Catatan Asesor"] == "Penilaian dokumen: Dokumen lengkap."
    assert third["Tanggapan Instansi"] == "Kami setuju."
    assert data[20]["Unit Penanggung Jawab"] is None
    # Whole levels written whole (3, not 3.00); partial credit keeps two decimals.
    assert level_formats(sheet, "Tingkat Mandiri") <= {INTEGER_FORMAT, LEVEL_FORMAT}
    assert level_formats(sheet, "Penilaian Dokumen") == {INTEGER_FORMAT}
    assert sheet.freeze_panes == "B2"
    assert sheet["F2"].alignment.wrap_text

    evidence = rows(book["Data Dukung"])
    assert [(r["No. Indikator"], r["Tingkat"], r["Judul"]) for r in evidence] == [
        ("1", 1, "Perwal SPBE"),
        ("1", 2, "Aplikasi SSO"),
        ("1", 2, "Perwal SPBE"),
    ]
    assert evidence[0]["Nomor Dokumen"] == "12/2024"
    assert evidence[0]["Tanggal Dokumen"].date() == dt.date(2024, 3, 1)
    assert evidence[0]["Tautan"].endswith(
        f"/data-dukung/{populated.answer('1').evidence_links.first().evidence_id}/"
    )
    assert book["Data Dukung"]["F2"].number_format == "yyyy-mm-dd"


def test_an_operators_self_assessment_holds_only_their_units_indicators(populated):
    book = workbook(export(populated, populated.operator, "self-assessment").content)
    assert [r["No. Indikator"] for r in rows(book["Penilaian Mandiri"])] == list("12345")
    assert {r["No. Indikator"] for r in rows(book["Data Dukung"])} == {"1"}


def test_the_unit_task_lists_have_a_sheet_per_unit_with_levels_owed_and_evidence_missing(
    populated,
):
    exported = export(populated, populated.koordinator, "units")
    assert exported.filename == "tugas-unit-kota-contoh-2025.xlsx"
    book = workbook(exported.content)
    assert book.sheetnames == ["Ringkasan", "Dinas A", "Dinas B", "Tanpa Unit", "Keterangan"]
    summary = {r["Kode Unit"]: r for r in rows(book["Ringkasan"])}
    assert summary["A"]["Lembar"] == "Dinas A" and summary["A"]["Indikator"] == 5
    assert summary["A"]["Belum Diajukan"] == 5
    assert summary["A"]["Butir Rencana Terbuka"] >= 1
    unit_a = by_number(book["Dinas A"])
    assert list(unit_a) == list("12345")
    owed = [r for r in unit_a.values() if r["Tingkat yang Harus Dicapai"] is not None]
    assert owed and all(r["Tingkat yang Harus Dicapai"] == 3 for r in owed)
    assert all(r["Tingkat Saat Ini"] == 2 for r in unit_a.values())
    # Indicator 2 claims level 2 without any evidence: the readiness check says so.
    assert "Tingkat 2" in unit_a["2"]["Data Dukung yang Kurang"]
    assert "Lengkapi data dukung." in unit_a["2"]["Yang Harus Dilakukan"]
    # Due dates: the action item's, else the period's evidence deadline for an open answer.
    deadline = dt.datetime.combine(
        dt.date(DEADLINE.year, DEADLINE.month, DEADLINE.day) + dt.timedelta(days=1), dt.time()
    )
    assert all(r["Tenggat"] is not None and r["Tenggat"] <= deadline for r in unit_a.values())
    assert level_formats(book["Dinas A"], "Tingkat yang Harus Dicapai") == {INTEGER_FORMAT}
    assert book["Dinas A"].oddHeader.center.text.startswith("Dinas A - Pemerintah Kota Contoh")
    assert set(by_number(book["Dinas B"])) == set("6789") | {"10"}
    assert len(rows(book["Tanpa Unit"])) == 37


def test_an_operator_gets_only_their_own_units_task_list(populated):
    book = workbook(export(populated, populated.operator_b, "units").content)
    assert book.sheetnames == ["Ringkasan", "Dinas B", "Keterangan"]
    assert [r["Kode Unit"] for r in rows(book["Ringkasan"])] == ["B"]


def test_unit_sheet_names_are_valid_and_unique(populated):
    from monev.institutions.models import Unit

    for code, short in (("C", "Dinas A"), ("D", "Bagian [Umum]: Keuangan/Aset*? dan Lainnya")):
        unit = Unit.objects.create(
            institution=populated.institution, code=code, name=short, short_name=short
        )
        populated.answer("11").unit_links.create(unit=unit)
    names = workbook(export(populated, populated.koordinator, "units").content).sheetnames
    assert "Dinas A (2)" in names
    odd = [n for n in names if n.startswith("Bagian")]
    assert odd and len(odd[0]) <= 31 and not set("[]:*?/\\") & set(odd[0])


def test_the_score_recap_has_the_index_per_stage_scores_and_triwulan(populated):
    exported = export(populated, populated.pimpinan, "recap")
    assert exported.filename == "rekap-nilai-kota-contoh-2025.xlsx"
    book = workbook(exported.content)
    assert book.sheetnames == ["Indeks", "Domain", "Aspek", "Indikator", "Triwulan", "Keterangan"]
    index = {r["Tahap"]: r for r in rows(book["Indeks"])}
    assert index["Penilaian Mandiri"]["Indeks"] == 2
    assert index["Penilaian Mandiri"]["Predikat"] == "Cukup"
    assert index["Penilaian Mandiri"]["Terisi"] == 47
    assert index["Final"]["Indeks"] is None
    assert index["Sementara (asesor eksternal)"]["Terisi"] == 1
    assert level_formats(book["Indeks"], "Indeks") == {LEVEL_FORMAT}
    domains = rows(book["Domain"])
    assert [d["Kode"] for d in domains] == ["D1", "D2", "D3", "D4"]
    assert sum(Decimal(str(d["Bobot (%)"])) for d in domains) == 100
    assert all(d["Penilaian Mandiri"] == 2 for d in domains)
    aspects = rows(book["Aspek"])
    assert len(aspects) == 8 and all(a["Penilaian Mandiri"] == 2 for a in aspects)
    indicators = by_number(book["Indikator"])
    assert len(indicators) == 47 and indicators["3"]["Penilaian Dokumen"] == 3
    quarters = rows(book["Triwulan"])
    assert quarters[0]["Potret"] == "Triwulan I"
    assert quarters[0]["Tahap"] == "Penilaian Mandiri" and quarters[0]["Indeks"] == 2
    assert quarters[0]["Domain D1"] == 2
    assert isinstance(quarters[0]["Diambil"], dt.datetime)
    assert level_formats(book["Triwulan"], "Aspek A1") == {LEVEL_FORMAT}


def test_a_fresh_period_exports_empty_but_valid_workbooks(world):
    for kind in ("self-assessment", "units", "recap"):
        book = workbook(export(world, world.koordinator, kind).content)
        assert book.sheetnames[-1] == "Keterangan"
    sheet = workbook(export(world, world.koordinator, "self-assessment").content).worksheets[0]
    assert all(r["Tingkat Mandiri"] is None for r in rows(sheet))


@pytest.mark.parametrize("kind", ["self-assessment", "units", "recap"])
def test_a_pemdi_workbook_says_its_instrument_is_provisional(world, kind):
    from datetime import UTC, datetime

    from monev.evaluations import services

    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
        milestones={"self_assessment_open": datetime(2026, 1, 1, tzinfo=UTC)},
    )
    content = export_period(period, access_for(world.koordinator, world.institution.pk), kind)
    book = workbook(content.content)
    assert "instrumen sementara" in book.properties.title
    legend = [row[2].value or "" for row in book["Keterangan"].iter_rows(min_row=2)]
    assert any(text.startswith("INSTRUMEN SEMENTARA") for text in legend)


def test_an_spbe_workbook_has_no_provisional_note(populated):
    content = export(populated, populated.koordinator, "recap")
    book = workbook(content.content)
    assert "sementara" not in book.properties.title
