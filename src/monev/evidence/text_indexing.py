"""Turning a stored file into searchable text (in the background): its text read in a child
process (isolation, text_extraction), then stored with its status and indexed for search."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from monev.evidence import search
from monev.evidence.isolation import extract_isolated
from monev.evidence.models import FileText, StoredFile


@contextmanager
def local_copy(stored: StoredFile):
    """A local path to the file: the storage's own path, or a temporary download (S3)."""
    try:
        yield default_storage.path(stored.storage_name)
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        with default_storage.open(stored.storage_name, "rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name


def file_text_extract(file_id: int) -> str:
    stored = StoredFile.objects.get(pk=file_id)
    with local_copy(stored) as path:
        result = extract_isolated(
            path, stored.kind, timeout_seconds=settings.MONEV_EXTRACT_TIMEOUT_SECONDS
        )
    with transaction.atomic():
        stored = StoredFile.objects.select_for_update().get(pk=file_id)
        stored.text_status = result.status
        stored.text_error = result.error[:2000]
        stored.page_count = result.pages
        stored.text_extracted_at = timezone.now()
        stored.save(update_fields=["text_status", "text_error", "page_count", "text_extracted_at"])
        FileText.objects.update_or_create(file=stored, defaults={"text": result.text})
        search.reindex_file(stored.pk)
    return result.status
