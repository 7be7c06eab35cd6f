"""The extraction job: an uploaded file's text, page count and status are stored and indexed;
a file that cannot be read is marked "failed" without the job (or the upload) failing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks import TaskResultStatus

from monev.evidence import services, tasks, text_indexing
from monev.evidence.models import FileText, StoredFile
from monev.evidence.text_extraction import Extraction

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def tasks_immediately(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(world, name: str, django_capture_on_commit_callbacks) -> StoredFile:
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_upload(
            actor=world.operator,
            institution_id=world.institution.pk,
            uploaded=SimpleUploadedFile(name, (FIXTURES / name).read_bytes()),
            title=f"Bukti {name}",
            kind="laporan",
            unit_id=world.unit_a.pk,
        )
    return StoredFile.objects.get(versions__evidence=evidence)


def test_it_extracts_the_text_of_an_uploaded_pdf_in_the_background(
    world, django_capture_on_commit_callbacks
):
    stored = upload(world, "good.pdf", django_capture_on_commit_callbacks)
    assert stored.text_status == StoredFile.TextStatus.DONE
    assert stored.page_count == 2
    assert stored.text_extracted_at is not None and stored.text_error == ""
    text = FileText.objects.get(file=stored).text
    assert "Arsitektur SPBE" in text and "Halaman kedua" in text


def test_it_waits_for_the_commit_before_extracting(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence = services.evidence_upload(
            actor=world.operator,
            institution_id=world.institution.pk,
            uploaded=SimpleUploadedFile("a.docx", (FIXTURES / "good.docx").read_bytes()),
            title="Keputusan",
            kind="peraturan",
            unit_id=world.unit_a.pk,
        )
    stored = StoredFile.objects.get(versions__evidence=evidence)
    assert stored.text_status == StoredFile.TextStatus.PENDING
    assert len(callbacks) == 1
    callbacks[0]()
    stored.refresh_from_db()
    assert stored.text_status == StoredFile.TextStatus.DONE
    assert "Tim Koordinasi SPBE" in stored.extracted.text


@pytest.mark.parametrize(
    ("name", "status", "pages"),
    [
        ("scan.pdf", StoredFile.TextStatus.NO_TEXT_LAYER, 1),
        ("good.png", StoredFile.TextStatus.NOT_APPLICABLE, None),
        ("broken_xref.pdf", StoredFile.TextStatus.FAILED, None),
        ("encrypted.pdf", StoredFile.TextStatus.FAILED, None),
    ],
)
def test_it_records_files_without_text(
    world, django_capture_on_commit_callbacks, name, status, pages
):
    stored = upload(world, name, django_capture_on_commit_callbacks)
    assert stored.text_status == status
    assert stored.page_count == pages
    assert FileText.objects.get(file=stored).text == ""
    if status == StoredFile.TextStatus.FAILED:
        assert stored.text_error  # says why, for the readiness checks and the page


@pytest.mark.parametrize(
    ("name", "status", "phrase"),
    [
        ("good.pdf", StoredFile.TextStatus.DONE, "Arsitektur SPBE"),
        ("good.docx", StoredFile.TextStatus.DONE, "Tim Koordinasi SPBE"),
        ("good.xlsx", StoredFile.TextStatus.DONE, "Sistem Informasi Kepegawaian"),
        ("good.odt", StoredFile.TextStatus.DONE, "Notulen rapat evaluasi mandiri SPBE"),
        ("good.ods", StoredFile.TextStatus.DONE, "Layanan pengaduan masyarakat"),
        ("good.jpeg", StoredFile.TextStatus.NOT_APPLICABLE, ""),
        ("good.mp4", StoredFile.TextStatus.NOT_APPLICABLE, ""),
    ],
)
def test_it_extracts_every_kind_from_where_storage_keeps_it(
    world, django_capture_on_commit_callbacks, name, status, phrase
):
    stored = upload(world, name, django_capture_on_commit_callbacks)
    assert "." not in stored.storage_name.rsplit("/", 1)[-1]  # stored under its hash alone
    assert (stored.text_status, stored.text_error) == (status, "")
    assert phrase in FileText.objects.get(file=stored).text


def test_a_failing_extraction_is_stored_as_failed_and_does_not_raise(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(
        text_indexing,
        "extract_isolated",
        lambda path, kind, **limits: Extraction(status="failed", error="The parser gave up."),
    )
    stored = upload(world, "good.pdf", django_capture_on_commit_callbacks)
    assert stored.text_status == StoredFile.TextStatus.FAILED
    assert stored.text_error == "The parser gave up."
    result = tasks.extract_file_text.enqueue(stored.pk)  # run again, immediately
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "failed"
