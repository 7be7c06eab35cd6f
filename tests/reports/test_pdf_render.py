"""The PDF reports of the small world: sections on their pages, numbered pages, the chart on
the scores page, what an operator's report leaves out, the provisional flag, the language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation
from pdf_support import (
    AFTER_CLOSE,
    RETURN_A,
    RETURN_B,
    UNIT_A_NOTE,
    UNIT_B_NOTE,
    pdf_text,
    pixels_of,
    rasterise,
    scored,
)

from monev.evaluations import services
from monev.institutions.access import access_for
from monev.institutions.models import Institution
from monev.reports.pdf import pdf_filename, period_report_pdf, period_summary_pdf
from monev.reports.pdf.render import css_string, page_counter_content

pytestmark = pytest.mark.django_db


def report_of(world, persona: str = "koordinator", period=None) -> list[str]:
    access = access_for(world.personas()[persona], world.institution.pk)
    return pdf_text(period_report_pdf(period or world.period, access, now=AFTER_CLOSE))


def test_it_numbers_the_pages_and_starts_each_section_on_its_own_page(world, tmp_path):
    period = scored(world)
    access = access_for(world.koordinator, world.institution.pk)
    content = period_report_pdf(period, access, now=AFTER_CLOSE)
    pages = pdf_text(content)
    assert len(rasterise(content, tmp_path)) == len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text
        assert "Pemerintah Kota Contoh" in text
    assert "Laporan Pemantauan Indeks SPBE" in pages[0]
    header = "Laporan Pemantauan Indeks SPBE · 2025"  # the running header, not on the cover
    assert header not in pages[0] and all(header in page for page in pages[1:])
    assert "Indeks dan predikat" in pages[1]
    assert "Analisis kesenjangan dan rencana" in pages[2]
    assert any("Rekomendasi asesor" in page for page in pages)
    # The plan's open actions close the report, in an appendix of at most two pages.
    appendix = [n for n, page in enumerate(pages) if "Lampiran" in page]
    assert appendix and appendix[0] >= len(pages) - 2


def test_it_draws_the_charts_on_the_scores_page_only(world, tmp_path):
    period = scored(world)
    access = access_for(world.koordinator, world.institution.pk)
    images = rasterise(period_report_pdf(period, access, now=AFTER_CLOSE), tmp_path)
    assert pixels_of(images[0]) == 0
    assert pixels_of(images[1]) > 300
    assert all(pixels_of(image) == 0 for image in images[2:])


def test_an_unscored_period_still_renders_with_no_chart_and_says_why(world, tmp_path):
    access = access_for(world.koordinator, world.institution.pk)
    content = period_report_pdf(world.period, access)
    pages = pdf_text(content)
    assert len(pages) == 5  # cover, scores, gap and plan, units, recommendations
    assert "belum ada nilai untuk digambarkan" in pages[1]
    assert all(pixels_of(image) == 0 for image in rasterise(content, tmp_path))


def test_it_gathers_returned_answers_notes_and_assessors_notes(world):
    scored(world)
    text = " ".join(report_of(world))
    assert all(note in text for note in (RETURN_A, RETURN_B, UNIT_A_NOTE, UNIT_B_NOTE))
    assert "Dikembalikan" in text and "Penilaian dokumen" in text


def test_an_operators_report_leaves_out_other_units_answers_and_actions(world):
    scored(world)
    text = " ".join(report_of(world, "operator"))
    assert RETURN_A in text and UNIT_A_NOTE in text
    assert RETURN_B not in text and UNIT_B_NOTE not in text
    assert "Terbatas pada jawaban" in text and "Dinas A" in text
    assert "Dinas B" not in text


def test_the_summary_is_one_page_with_the_chart(world, tmp_path):
    period = scored(world)
    access = access_for(world.pimpinan, world.institution.pk)
    content = period_summary_pdf(period, access, now=AFTER_CLOSE)
    (text,) = pdf_text(content)
    (image,) = rasterise(content, tmp_path)
    assert "Halaman 1 dari 1" in text and "Ringkasan" in text
    assert "Tindakan utama" in text and "Tanggal penting" in text
    assert pixels_of(image) > 300


def test_a_provisional_instrument_is_flagged_on_every_page(world):
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="pemantauan",
        instrument="pemdi-2026",
        milestones={"self_assessment_open": datetime(2026, 1, 1, tzinfo=UTC)},
    )
    pages = report_of(world, period=period)
    assert "Laporan Pemantauan Indeks Pemdi" in pages[0]
    assert all("Instrumen sementara." in page for page in pages)


def test_it_renders_in_the_active_language(world):
    with translation.override("en"):
        pages = report_of(world)
    assert "Page 1 of" in pages[0] and "Halaman" not in pages[0]


def test_the_institution_name_cannot_break_out_of_the_page_style(world):
    name = 'Kota "Uji" </style><h1>x</h1> \\ Baru'
    Institution.objects.filter(pk=world.institution.pk).update(name=name)
    world.period.refresh_from_db()
    world.period.institution.refresh_from_db()
    pages = report_of(world)
    assert name in pages[1]  # in the running header, as written


def test_css_strings_escape_what_could_end_them():
    assert css_string('a"b\\c<d>\ne') == '"a\\22 b\\5c c\\3c d\\3e \\a e"'
    with translation.override("id"):
        assert page_counter_content() == '"Halaman " counter(page) " dari " counter(pages)'


def test_the_file_name_says_what_and_whose(world):
    assert pdf_filename(world.period) == "laporan-kota-contoh-pemantauan-2025.pdf"
    assert pdf_filename(world.period, summary=True) == "ringkasan-kota-contoh-pemantauan-2025.pdf"
