"""Background jobs of the evidence app (run by `monev worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def extract_file_text(file_id: int) -> str:
    """Extract a stored file's text, then index it for search. Returns the text status."""
    from monev.evidence.text_indexing import file_text_extract  # the task module stays light

    return file_text_extract(file_id)


@task()
def read_scanned_file(file_id: int) -> str:
    """Read a scan's text with the OCR engine, then index it. Returns the text status."""
    from monev.evidence.text_indexing import file_ocr

    return file_ocr(file_id)


def requeue_abandoned(now=None) -> int:
    """Put extraction jobs whose worker died back in the queue; returns how many.

    django-tasks-db never takes back the job of a worker that was killed: the row stays
    RUNNING and the file's text stays pending for ever. An extraction cannot legitimately run
    longer than its child process's time limit, so a job RUNNING well past that limit has lost
    its worker, whichever worker it was (several may share the queue)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    # OCR's limit is per page (isolation.ocr_isolated): a whole file may take all its pages'.
    ocr_seconds = (settings.MONEV_OCR_PAGE_SECONDS + 30) * settings.MONEV_OCR_MAX_PAGES
    requeued = 0
    for job, seconds in (
        (extract_file_text, settings.MONEV_EXTRACT_TIMEOUT_SECONDS),
        (read_scanned_file, ocr_seconds),
    ):
        cutoff = now - timedelta(seconds=seconds + ABANDONED_MARGIN_SECONDS)
        requeued += DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, task_path=job.module_path, started_at__lt=cutoff
        ).update(status=TaskResultStatus.READY, started_at=None)
    return requeued


# Beyond the extraction time limit: starting the child, storing the text, indexing it.
ABANDONED_MARGIN_SECONDS = 60
