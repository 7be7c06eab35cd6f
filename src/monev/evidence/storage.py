"""Storing evidence bytes: content-addressed by SHA-256 through Django's storage API, so the
same bytes are stored once however many times and by whom they are uploaded.

Each institution has its own StoredFile row for the bytes it holds (its own text extraction and
status): an upload of bytes another institution holds answers exactly like an upload of new
bytes (checked the same way, a new row, text "pending" until its own extraction has run), so it
cannot tell anyone what other institutions hold. Only the blob is shared, and a little time
(its write is skipped) is the one difference.

A blob is written before its row: an interrupted store leaves at most a blob that no row
points to (invisible to everyone; `monev evidence gc` removes such blobs), never a row
pointing at half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from monev.evidence.models import StoredFile
from monev.evidence.sniff import Refused, sniff
from monev.lib.errors import InvalidInput

PREFIX = "evidence"


def stored_names(storage: Storage | None = None, directory: str = PREFIX) -> Iterator[str]:
    """Every file under the evidence prefix, through the storage API (filesystem or S3)."""
    storage = storage or default_storage
    # No exists() first: object storage has no directories, only keys with a common prefix.
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}"
    for folder in sorted(folders):
        yield from stored_names(storage, f"{directory}/{folder}")


REFUSALS = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than the limit of %(limit)s MB."),
    "executable": _("Programs cannot be uploaded as evidence, whatever their name."),
    "active_content": _(
        "Web pages, scripts and SVG images cannot be uploaded as evidence, whatever their name."
    ),
    "macros": _(
        "Office files with macros or embedded programs are not accepted; save the document "
        "without them (or as PDF) and upload it again."
    ),
    "unknown_type": _(
        "This kind of file is not accepted as evidence. Accepted: PDF, DOCX, XLSX, ODT, ODS, "
        "PNG, JPEG, MP4."
    ),
    "zip_bomb": _("The file unpacks to far more than its size and was refused as unsafe."),
    "corrupt_zip": _("The file is damaged and cannot be read."),
    "corrupt_pdf": _("The file is damaged and cannot be read."),
    "encrypted": _("The file is password-protected; upload it without a password."),
    "unreadable": _("The file could not be read; upload it again."),
    "not_allowed": _("This kind of file is not accepted here: %(kind)s."),
    "no_name": _(
        "Name the file: send its name in the Content-Disposition header "
        "(attachment; filename*=UTF-8''...)."
    ),
    "no_length": _("Send the file's size in the Content-Length header."),
    "interrupted": _("The upload was interrupted before the whole file arrived; send it again."),
    "too_long": _(
        "The request body is longer than its Content-Length header says; send the file again "
        "with its exact length."
    ),
}


class TooLarge(InvalidInput):
    status = 413
    code = "too_large"


class LengthRequired(InvalidInput):
    status = 411
    code = "length_required"


class BodyTooLong(InvalidInput):
    status = 400
    code = "bad_request"


ERRORS = {"too_large": TooLarge, "no_length": LengthRequired, "too_long": BodyTooLong}


def refusal(code: str, **values) -> InvalidInput:
    values.setdefault("limit", settings.MONEV_UPLOAD_MAX_BYTES // (1024 * 1024))
    message = REFUSALS.get(code, REFUSALS["unknown_type"]) % values
    detail = {"location": "file", "message": str(message), "code": code}
    return ERRORS.get(code, InvalidInput)(message, details=[detail])


def upload_name(name: str) -> str:
    """The name a file arrived with, refused when blank: one rule for both ways in (a multipart
    part and a raw body's Content-Disposition)."""
    if not name or not name.strip():
        raise refusal("no_name")
    return name


def blob_name(sha256: str) -> str:
    return f"{PREFIX}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


@contextmanager
def _local_path(uploaded):
    """A path to the upload's bytes: the temporary file the upload handler wrote, or a copy."""
    if hasattr(uploaded, "temporary_file_path"):
        yield uploaded.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        for chunk in uploaded.chunks():
            copy.write(chunk)
        copy.flush()
        yield copy.name


def _sha256(uploaded) -> str:
    known = getattr(uploaded, "sha256", None)
    if known:
        return known
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _flush_to_disk(uploaded) -> None:
    """An acknowledged upload must survive a crash: its bytes reach the disk before the
    temporary file is moved into storage (a rename keeps them)."""
    if hasattr(uploaded, "temporary_file_path"):
        uploaded.file.flush()
        os.fsync(uploaded.file.fileno())


def _sync_directory(name: str) -> None:
    """Make the rename into storage durable too (filesystem storage only)."""
    try:
        directory = os.path.dirname(default_storage.path(name))
    except NotImplementedError:
        return  # object storage: the backend's own acknowledgement is the durability
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def store_upload(uploaded, institution_id: int) -> tuple[StoredFile, bool]:
    """(the institution's stored file, whether it is new to the institution). Checks size and
    content, whoever holds the bytes already; InvalidInput if refused."""
    if uploaded.size == 0:
        raise refusal("empty")
    if uploaded.size > settings.MONEV_UPLOAD_MAX_BYTES:
        raise refusal("too_large")
    sha256 = _sha256(uploaded)
    with _local_path(uploaded) as path:
        try:
            sniffed = sniff(Path(path))
        except Refused as refused:
            raise refusal(refused.code) from None
    if sniffed.kind not in settings.MONEV_EVIDENCE_KINDS:
        raise refusal("not_allowed", kind=sniffed.kind)
    held = StoredFile.objects.filter(institution_id=institution_id, sha256=sha256).first()
    if held is not None:
        return held, False
    if not hasattr(uploaded, "temporary_file_path"):
        uploaded.seek(0)  # read once already, for the hash
    name = blob_name(sha256)
    if not default_storage.exists(name):
        _flush_to_disk(uploaded)
        name = default_storage.save(name, uploaded)
        _sync_directory(name)
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                institution_id=institution_id,
                sha256=sha256,
                size=uploaded.size,
                kind=sniffed.kind,
                content_type=sniffed.content_type,
                storage_name=name,
            )
    except IntegrityError:  # the same new file, uploaded by a colleague at the same moment
        return StoredFile.objects.get(institution_id=institution_id, sha256=sha256), False
    return stored, True
