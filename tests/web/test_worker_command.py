"""`monev worker` runs the jobs queued in the database (here: text extraction)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from monev.evidence import tasks
from monev.evidence.models import StoredFile
from monev.web.management.commands.worker import Command

PDF = Path(__file__).parents[1] / "evidence" / "fixtures" / "good.pdf"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def stored_pdf() -> StoredFile:
    data = PDF.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    name = default_storage.save(f"test-worker/{digest}.pdf", ContentFile(data))
    return StoredFile.objects.create(
        sha256=digest,
        size=len(data),
        kind="pdf",
        content_type="application/pdf",
        storage_name=name,
    )


@pytest.mark.django_db(transaction=True)  # the worker closes connections between jobs
def test_it_runs_the_queued_extraction_jobs_then_exits_in_batch_mode(database_queue):
    stored = stored_pdf()
    try:
        tasks.extract_file_text.enqueue(stored.pk)
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        out = StringIO()
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
        stored.refresh_from_db()
        assert stored.text_status == StoredFile.TextStatus.DONE
        assert "Arsitektur SPBE" in stored.extracted.text
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    finally:
        default_storage.delete(stored.storage_name)


def test_it_explains_itself():
    parser = Command().create_parser("monev", "worker")
    text = parser.format_help()
    assert "text extraction" in text and "--batch" in text and "--max-tasks" in text


@pytest.mark.django_db(transaction=True)
def test_it_requeues_a_job_whose_worker_was_killed_and_runs_it(database_queue, settings):
    stored = stored_pdf()
    try:
        result = tasks.extract_file_text.enqueue(stored.pk)
        # What a worker killed mid-job leaves behind: the row claimed and RUNNING.
        started = timezone.now() - timedelta(seconds=settings.MONEV_EXTRACT_TIMEOUT_SECONDS + 61)
        DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", started_at=started)
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
        stored.refresh_from_db()
        assert stored.text_status == StoredFile.TextStatus.DONE
        assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    finally:
        default_storage.delete(stored.storage_name)


@pytest.mark.django_db
def test_it_leaves_a_job_alone_that_may_still_be_running(database_queue):
    stored = stored_pdf()
    try:
        result = tasks.extract_file_text.enqueue(stored.pk)
        DBTaskResult.objects.filter(pk=result.id).update(
            status="RUNNING", started_at=timezone.now()
        )
        assert tasks.requeue_abandoned() == 0
        assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    finally:
        default_storage.delete(stored.storage_name)
