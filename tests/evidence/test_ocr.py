"""The OCR reader (monev.evidence.ocr) on scans made in the test: it reads Indonesian text from
image-only PDFs, PNGs and JPEGs with the engine's confidence and reports each page; it refuses
what is beyond its limits and fails clearly on broken files, in a child process that a stuck or
greedy page cannot outlive."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image
from scan_support import REGULATION, image_bytes, needs_engine, scanned_pdf

from monev.evidence import ocr
from monev.evidence.isolation import ocr_isolated
from monev.evidence.ocr import OcrLimits, ocr_file

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture
def engine():
    needs_engine()


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_it_reads_every_page_of_an_image_only_pdf_and_reports_each(tmp_path):
    path = write(tmp_path, "scan.pdf", scanned_pdf(REGULATION, ["Notulen rapat koordinasi"]))
    reports = []
    result = ocr_file(path, "pdf", report=lambda done, total: reports.append((done, total)))
    assert result.status == "done", result.error
    assert result.pages == 2 and result.pages_read == 2
    assert "ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK" in result.text
    assert "Notulen rapat koordinasi" in result.text
    assert reports == [(0, 2), (1, 2), (2, 2)]
    assert 80 <= result.confidence <= 100


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_it_reads_images(tmp_path, kind):
    path = write(tmp_path, "shot", image_bytes(kind=kind))
    result = ocr_file(path, kind.lower())
    assert result.status == "done", result.error
    assert "NOMOR 12 TAHUN 2024" in result.text


def test_small_screenshots_are_enlarged_before_reading(tmp_path):
    path = write(tmp_path, "shot.png", image_bytes(["Daftar layanan aplikasi"], size=(900, 400)))
    assert "Daftar layanan aplikasi" in ocr_file(path, "png").text


def test_a_blank_page_has_no_text(tmp_path):
    path = write(tmp_path, "blank.pdf", scanned_pdf([]))
    result = ocr_file(path, "pdf")
    assert result.status == "no_text" and result.confidence is None


def test_a_pdf_longer_than_the_limit_is_refused_before_any_page_is_read(tmp_path):
    path = write(tmp_path, "long.pdf", scanned_pdf([], [], []))
    reports = []
    result = ocr_file(path, "pdf", OcrLimits(max_pages=2), report=lambda *a: reports.append(a))
    assert result.status == "refused"
    assert "3 pages" in result.error and "at most 2 pages" in result.error
    assert reports == []


def test_an_image_with_too_many_pixels_is_refused_from_its_header(tmp_path):
    # A 20,000 x 20,000 PNG of one colour: a few kilobytes that would decode to 400 MB.
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000), 1).save(bomb, "PNG")
    path = write(tmp_path, "bomb.png", bomb.getvalue())
    result = ocr_file(path, "png", OcrLimits(max_pixels=40_000_000))
    assert result.status == "refused"
    assert "megapixels" in result.error


def test_a_poster_sized_pdf_page_is_read_at_a_resolution_that_fits(tmp_path):
    poster = io.BytesIO()
    Image.new("L", (400, 400), 255).save(poster, "PDF", resolution=2)  # a 200-inch square page
    path = write(tmp_path, "poster.pdf", poster.getvalue())
    result = ocr_file(path, "pdf", OcrLimits(max_pixels=4_000_000))
    assert result.status == "no_text", result.error


def test_a_truncated_image_fails_with_the_reason(tmp_path):
    data = image_bytes(kind="PNG")
    path = write(tmp_path, "cut.png", data[: len(data) // 2])
    result = ocr_file(path, "png")
    assert result.status == "failed"
    assert "damaged or truncated" in result.error


def test_a_damaged_pdf_fails_with_the_reason(tmp_path):
    path = write(tmp_path, "bad.pdf", b"%PDF-1.7\n" + b"\x00" * 200)
    result = ocr_file(path, "pdf")
    assert result.status == "failed" and "cannot be opened" in result.error


def test_it_says_what_is_missing_when_the_engine_is_absent(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr.engine_problem.cache_clear()
    try:
        assert ocr.engine_problem() == "the Tesseract OCR engine is not installed"
    finally:
        ocr.engine_problem.cache_clear()


def test_the_child_process_reports_progress_and_returns_the_text(tmp_path):
    path = write(tmp_path, "scan.pdf", scanned_pdf())
    seen = []
    result = ocr_isolated(str(path), "pdf", OcrLimits(), lambda d, t: seen.append((d, t)))
    assert result.status == "done" and "NOMOR 12 TAHUN 2024" in result.text
    assert seen == [(0, 1), (1, 1)]


def test_a_child_over_its_memory_limit_fails_instead_of_taking_the_machine(tmp_path):
    path = write(tmp_path, "scan.pdf", scanned_pdf())
    result = ocr_isolated(str(path), "pdf", OcrLimits(memory_bytes=64 << 20))
    assert result.status == "failed"


def test_a_ten_thousand_page_pdf_is_refused_at_once(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(10_000):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    started = time.monotonic()
    result = ocr_isolated(str(path), "pdf", OcrLimits())
    assert result.status == "refused"
    assert "10000 pages" in result.error and "at most 200 pages" in result.error
    assert time.monotonic() - started < 30
