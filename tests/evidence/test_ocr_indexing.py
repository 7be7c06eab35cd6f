"""Scans in the background: an image-only PDF or a screenshot uploaded through the API is read
by the OCR engine in a job of its own after the text extraction, found by a word inside it, and
marked as read by OCR with its confidence; its pages read show on the evidence page while it
runs. Without the engine, scans stay stored and linked, and the page, the system check and
`monev evidence reindex --ocr` say how to install it."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from scan_support import REGULATION, image_bytes, needs_engine, scanned_pdf

from api_support import Api
from monev.evidence import ocr, services
from monev.evidence.checks import ocr_engine
from monev.evidence.models import FileText, StoredFile

TextStatus = StoredFile.TextStatus


@pytest.fixture
def engine():
    needs_engine()


@pytest.fixture
def immediately(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def no_engine(monkeypatch):
    """The machine as one without Tesseract sees it."""
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr.engine_problem.cache_clear()
    yield
    ocr.engine_problem.cache_clear()


def upload(world, name: str, data: bytes, callbacks) -> StoredFile:
    with callbacks(execute=True):
        evidence = services.evidence_upload(
            actor=world.operator,
            institution_id=world.institution.pk,
            uploaded=SimpleUploadedFile(name, data),
            title=f"Pindaian {name}",
            kind="peraturan",
            unit_id=world.unit_a.pk,
        )
    return StoredFile.objects.get(versions__evidence=evidence)


@pytest.mark.django_db(transaction=True)  # the worker closes connections between jobs
@pytest.mark.usefixtures("engine")
def test_a_scan_and_a_screenshot_uploaded_through_the_api_are_found_within_a_minute(
    world, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    api = Api.token(world.operator)
    base = f"/api/v1/institutions/{world.institution.pk}/evidence"
    started = time.monotonic()
    for name, data in (
        ("perwal.pdf", scanned_pdf()),
        ("aplikasi.png", image_bytes(["Layanan Pengaduan Masyarakat Terpadu"], size=(1200, 500))),
    ):
        response = api.client.post(
            base,
            {
                "file": SimpleUploadedFile(name, data),
                "kind": "peraturan",
                "unit_id": world.unit_a.pk,
            },
            headers=api.headers,
        )
        assert response.status_code == 201, response.content
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    assert time.monotonic() - started < 60
    for word in ("Arsitektur", "Pengaduan"):
        found = api.get(base.removeprefix("/api/v1"), q=word).json()
        assert found["count"] == 1, word
        assert found["items"][0]["text_status"] == "done"
        version = api.ok("get", f"/evidence/{found['items'][0]['id']}")["versions"][0]
        assert version["text_by_ocr"] is True and version["ocr_confidence"] >= 60


@pytest.mark.django_db
@pytest.mark.usefixtures("engine", "immediately")
def test_the_scan_text_is_stored_marked_as_ocr(world, django_capture_on_commit_callbacks):
    stored = upload(
        world, "scan.pdf", scanned_pdf(REGULATION, []), django_capture_on_commit_callbacks
    )
    assert stored.text_status == TextStatus.DONE
    assert stored.text_by_ocr and stored.ocr_confidence >= 60
    assert stored.page_count == 2 and stored.ocr_pages_read == 2
    assert "NOMOR 12 TAHUN 2024" in FileText.objects.get(file=stored).text


@pytest.mark.django_db
@pytest.mark.usefixtures("engine", "immediately")
def test_a_scan_beyond_the_page_limit_keeps_its_status_and_says_why(
    world, settings, django_capture_on_commit_callbacks
):
    settings.MONEV_OCR_MAX_PAGES = 1
    stored = upload(world, "long.pdf", scanned_pdf([], []), django_capture_on_commit_callbacks)
    assert stored.text_status == TextStatus.NO_TEXT_LAYER
    assert "at most 1 pages" in stored.text_error


@pytest.mark.django_db
@pytest.mark.usefixtures("engine", "immediately")
def test_a_truncated_screenshot_ends_unreadable_with_the_reason(
    world, django_capture_on_commit_callbacks
):
    data = image_bytes()
    stored = upload(world, "cut.png", data[: len(data) // 2], django_capture_on_commit_callbacks)
    assert stored.text_status == TextStatus.FAILED
    assert "truncated" in stored.text_error


@pytest.mark.django_db
@pytest.mark.usefixtures("immediately")
def test_with_ocr_off_a_scan_stays_unread(world, settings, django_capture_on_commit_callbacks):
    settings.MONEV_OCR = False
    stored = upload(world, "scan.pdf", scanned_pdf(), django_capture_on_commit_callbacks)
    assert stored.text_status == TextStatus.NO_TEXT_LAYER and not stored.text_by_ocr


@pytest.mark.django_db
@pytest.mark.usefixtures("engine", "immediately")
def test_reindex_with_ocr_reads_the_scans_stored_before(
    world, settings, django_capture_on_commit_callbacks
):
    settings.MONEV_OCR = False
    stored = upload(world, "scan.pdf", scanned_pdf(), django_capture_on_commit_callbacks)
    settings.MONEV_OCR = True
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("evidence", "reindex", "--ocr", stdout=out)
    assert "1 scan(s) queued for OCR" in out.getvalue()
    stored.refresh_from_db()
    assert stored.text_status == TextStatus.DONE and stored.text_by_ocr


@pytest.mark.django_db
@pytest.mark.usefixtures("no_engine", "immediately")
def test_without_the_engine_the_page_the_check_and_the_command_say_how_to_install_it(
    world, client, django_capture_on_commit_callbacks
):
    stored = upload(world, "scan.pdf", scanned_pdf(), django_capture_on_commit_callbacks)
    assert stored.text_status == TextStatus.NO_TEXT_LAYER
    evidence = stored.versions.get().evidence
    client.force_login(world.operator)
    page = client.get(f"/data-dukung/{evidence.pk}/").content.decode()
    assert ocr.INSTALL_COMMAND in page and "monev evidence reindex --ocr" in page

    [warning] = ocr_engine()
    assert warning.id == "monev.W101" and ocr.INSTALL_COMMAND in warning.hint

    with pytest.raises(CommandError, match="tesseract-ocr-ind"):
        call_command("evidence", "reindex", "--ocr", stdout=StringIO())


@pytest.mark.django_db
def test_the_evidence_page_shows_the_pages_read_while_the_scan_is_read(
    world, client, django_capture_on_commit_callbacks
):
    stored = upload(world, "scan.pdf", scanned_pdf(), django_capture_on_commit_callbacks)
    StoredFile.objects.filter(pk=stored.pk).update(
        text_status=TextStatus.OCR_PENDING, ocr_pages_read=3, page_count=12
    )
    client.force_login(world.operator)
    page = client.get(f"/data-dukung/{stored.versions.get().evidence_id}/").content.decode()
    assert "halaman 3 dari 12" in page
    assert 'hx-trigger="every 3s"' in page  # it keeps polling until the text is read
