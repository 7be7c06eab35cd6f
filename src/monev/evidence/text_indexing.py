"""Turning a stored file into searchable text (in the background): its text read in a child
process (isolation, text_extraction), then stored with its status and indexed for search.

A scan (a PDF without text layer, a PNG or JPEG) then goes to the OCR engine in a second job,
when the engine is installed (ocr.engine_problem) and MONEV_OCR is on: the file waits as
"ocr_pending", its pages read counted as they go, and its text, once read, is searched and
checked like any other, marked as read by OCR with the engine's confidence."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from monev.evidence import search
from monev.evidence.document_facts import read_facts
from monev.evidence.isolation import extract_isolated, ocr_isolated
from monev.evidence.models import FileText, StoredFile
from monev.evidence.ocr import SCANNABLE_KINDS, OcrLimits, engine_problem
from monev.evidence.topics import file_topics

TextStatus = StoredFile.TextStatus
# What the text extraction leaves for a scan: the status it keeps when OCR cannot read it.
_SCAN_STATUSES = {
    "pdf": TextStatus.NO_TEXT_LAYER,
    "png": TextStatus.NOT_APPLICABLE,
    "jpeg": TextStatus.NOT_APPLICABLE,
}


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


def scan_status(kind: str) -> str:
    """The status a scan of this kind keeps while its pixels are not read."""
    return _SCAN_STATUSES.get(kind, TextStatus.NOT_APPLICABLE)


def is_unread_scan(kind: str, status: str) -> bool:
    return kind in SCANNABLE_KINDS and status == scan_status(kind)


def ocr_unavailable() -> str | None:
    """Why scans are not read here (in English), or None when they are."""
    if not settings.MONEV_OCR:
        return "OCR is switched off (MONEV_OCR=false)"
    return engine_problem()


def ocr_limits() -> OcrLimits:
    return OcrLimits(
        max_pages=settings.MONEV_OCR_MAX_PAGES,
        max_pixels=settings.MONEV_OCR_MAX_MEGAPIXELS * 1_000_000,
        page_seconds=settings.MONEV_OCR_PAGE_SECONDS,
        memory_bytes=settings.MONEV_OCR_MEMORY_MB << 20,
    )


def file_text_extract(file_id: int) -> str:
    stored = StoredFile.objects.get(pk=file_id)
    with local_copy(stored) as path:
        result = extract_isolated(
            path, stored.kind, timeout_seconds=settings.MONEV_EXTRACT_TIMEOUT_SECONDS
        )
    status = result.status
    if is_unread_scan(stored.kind, status) and ocr_unavailable() is None:
        status = TextStatus.OCR_PENDING
    reading = read_document(result.text if status == TextStatus.DONE else "")
    with transaction.atomic():
        stored = StoredFile.objects.select_for_update().get(pk=file_id)
        stored.text_status = status
        stored.text_error = result.error[:2000]
        stored.page_count = result.pages
        stored.text_extracted_at = timezone.now()
        stored.text_by_ocr = False
        stored.ocr_confidence = stored.ocr_pages_read = None
        stored.topics, stored.facts = reading["topics"], reading["facts"]
        stored.save()
        FileText.objects.update_or_create(file=stored, defaults={"text": result.text})
        search.reindex_file(stored.pk)
        if status == TextStatus.OCR_PENDING:
            queue_ocr(stored.pk)
    return status


def facts_stored(facts) -> dict | None:
    """DocumentFacts as the file keeps them (JSON): only what was found."""
    found = {
        "kind": facts.kind,
        "number": facts.number,
        "title": facts.title,
        "enacted_on": facts.enacted_on.isoformat() if facts.enacted_on else None,
        "place": facts.place,
        "official": facts.official,
        "draft_markers": list(facts.draft_markers),
    }
    found = {name: value for name, value in found.items() if value}
    return found or None


def read_document(text: str) -> dict:
    """What the text says about the document: the file's topics and facts fields. Read before
    the file's row is locked: a long text takes a moment."""
    if not text:
        return {"topics": None, "facts": None}
    return {"topics": file_topics(text), "facts": facts_stored(read_facts(text))}


def queue_ocr(file_id: int) -> None:
    from monev.evidence import tasks  # tasks imports this module's functions lazily too

    transaction.on_commit(lambda: tasks.read_scanned_file.enqueue(file_id))


def queue_unread_scans() -> int:
    """Every scan stored while OCR was unavailable goes to the OCR queue; returns how many."""
    waiting = 0
    for kind, status in _SCAN_STATUSES.items():
        with transaction.atomic():
            ids = list(
                StoredFile.objects.select_for_update()
                .filter(kind=kind, text_status=status, text_by_ocr=False)
                .values_list("pk", flat=True)
            )
            StoredFile.objects.filter(pk__in=ids).update(text_status=TextStatus.OCR_PENDING)
            for file_id in ids:
                queue_ocr(file_id)
        waiting += len(ids)
    return waiting


def file_ocr(file_id: int) -> str:
    stored = StoredFile.objects.get(pk=file_id)
    if stored.text_status != TextStatus.OCR_PENDING:
        return stored.text_status  # read already, or replaced by a new extraction

    # Pages are a PDF's: an image is read in one go, and has no page count to show.
    paged = stored.kind == "pdf"

    def progress(done: int, total: int) -> None:
        if paged:
            StoredFile.objects.filter(pk=file_id).update(ocr_pages_read=done, page_count=total)

    with local_copy(stored) as path:
        result = ocr_isolated(path, stored.kind, ocr_limits(), progress)
    reading = read_document(result.text if result.status == "done" else "")
    with transaction.atomic():
        stored = StoredFile.objects.select_for_update().get(pk=file_id)
        if stored.text_status != TextStatus.OCR_PENDING:
            return stored.text_status
        stored.text_status = {
            "done": TextStatus.DONE,
            "failed": TextStatus.FAILED,
        }.get(result.status, scan_status(stored.kind))
        stored.text_by_ocr = result.status in ("done", "no_text")
        stored.ocr_confidence = result.confidence
        if paged:
            stored.ocr_pages_read = result.pages_read
            stored.page_count = result.pages or stored.page_count
        stored.text_error = result.error[:2000]
        stored.text_extracted_at = timezone.now()
        if result.status == "done":
            stored.topics, stored.facts = reading["topics"], reading["facts"]
        stored.save()
        if result.status == "done":
            FileText.objects.update_or_create(file=stored, defaults={"text": result.text})
            search.reindex_file(stored.pk)
    return stored.text_status


def reread_documents(report=None) -> int:
    """Read the topics and facts of every file with text again (after the terms or the fact
    reader changed); ``report(done, total)`` after each file. Returns how many."""
    files = StoredFile.objects.filter(text_status=TextStatus.DONE).order_by("pk")
    total = files.count()
    done = 0
    for file_id in files.values_list("pk", flat=True).iterator():
        text = FileText.objects.filter(file_id=file_id).values_list("text", flat=True).first()
        StoredFile.objects.filter(pk=file_id).update(**read_document(text or ""))
        done += 1
        if report is not None:
            report(done, total)
    return done
