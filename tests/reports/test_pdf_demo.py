"""The PDF reports of the demo (Pemerintah Kota Bandung, Triwulan II 2025): every page
readable, page numbers right, the charts drawn. The demo loads once for the module, inside a
transaction rolled back at the end, and each PDF is rendered once."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.test import override_settings
from pdf_support import pdf_text, pixels_of, rasterise

from monev.accounts.models import User
from monev.demo import loader
from monev.evaluations.models import Period
from monev.institutions.access import access_for
from monev.reports.pdf import period_report_pdf, period_summary_pdf

# The module's tests touch no database themselves; the mark makes pytest-django create the
# test database the module fixture loads the demo into.
pytestmark = pytest.mark.django_db

NOW = datetime(2025, 8, 25, 3, 0, tzinfo=UTC)  # a week after the demo's evidence deadline
RUNS = 3


@dataclass
class DemoPdfs:
    institution: str
    report: bytes
    summary: bytes
    operator_report: bytes
    render_seconds: list[float]


@pytest.fixture(scope="module")
def demo_pdfs(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoPdfs:
    files = tmp_path_factory.mktemp("demo-files")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": files},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=files, STORAGES=storages),
        transaction.atomic(),
    ):
        loader.load(files)
        period = Period.objects.select_related("institution").get(
            institution__code="demo-kota-bandung"
        )
        koordinator = access_for(User.objects.get(username="koordinator"), period.institution_id)
        operator = access_for(User.objects.get(username="operator"), period.institution_id)
        seconds = []
        for _run in range(RUNS):
            started = time.perf_counter()
            report = period_report_pdf(period, koordinator, now=NOW)
            seconds.append(time.perf_counter() - started)
        pdfs = DemoPdfs(
            institution=period.institution.name,
            report=report,
            summary=period_summary_pdf(period, koordinator, now=NOW),
            operator_report=period_report_pdf(period, operator, now=NOW),
            render_seconds=seconds,
        )
        transaction.set_rollback(True)
    return pdfs


def footer_total(pages: list[str]) -> int:
    """Y of "Halaman X dari Y" on the first page."""
    words = pages[0].split("Halaman 1 dari ", 1)[1].split()
    return int(words[0])


def test_it_numbers_every_page_of_the_report_and_the_rasterised_pages_match(demo_pdfs, tmp_path):
    pages = pdf_text(demo_pdfs.report)
    images = rasterise(demo_pdfs.report, tmp_path)
    assert len(images) == len(pages) == footer_total(pages)
    assert 6 <= len(pages) <= 20
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text
        assert demo_pdfs.institution in text


def test_its_cover_names_the_institution_the_index_and_the_period(demo_pdfs):
    cover = pdf_text(demo_pdfs.report)[0]
    assert "Pemerintah Kota Bandung (DEMO)" in cover
    assert "Laporan Pemantauan Indeks SPBE" in cover
    assert "2025" in cover


def test_it_gives_the_index_predicate_and_gap_in_indonesian(demo_pdfs):
    scores = pdf_text(demo_pdfs.report)[1]
    assert "Indeks dan predikat" in scores
    assert "3,00" in scores  # the demo's self-assessed index, with an Indonesian comma
    assert "4,62" in scores  # its target


def test_it_draws_the_domain_and_aspect_charts_on_the_second_page(demo_pdfs, tmp_path):
    images = rasterise(demo_pdfs.report, tmp_path)
    assert pixels_of(images[0]) == 0  # the cover has no chart
    assert pixels_of(images[1]) > 500


def test_its_summary_is_one_page_with_the_chart_actions_and_dates(demo_pdfs, tmp_path):
    (text,) = pdf_text(demo_pdfs.summary)
    (image,) = rasterise(demo_pdfs.summary, tmp_path)
    assert "Halaman 1 dari 1" in text
    assert "Pemerintah Kota Bandung (DEMO)" in text
    assert "Tindakan utama" in text and "Tanggal penting" in text
    assert pixels_of(image) > 300


def test_an_operator_report_is_limited_to_their_units(demo_pdfs):
    text = " ".join(pdf_text(demo_pdfs.operator_report))
    assert "Terbatas pada jawaban" in text
    assert "Hanya unit Anda yang ditampilkan." in text


def test_it_renders_the_demo_report_in_reasonable_time(demo_pdfs):
    median = statistics.median(demo_pdfs.render_seconds)
    print(f"demo report render, median of {RUNS}: {median:.2f} s")
    assert median < 30  # generous: CI machines are slow and shared
