"""The uploaded file as a path on disk, for the pages and the API alike."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from monev.imports.parsing import MAX_BYTES, Unreadable
from monev.imports.services import unreadable_message
from monev.lib.errors import InvalidInput


def too_large_message() -> str:
    return unreadable_message(Unreadable("too_large"))


def refused_upload(request) -> str | None:
    """The message for a file the upload handler skipped (over the server's upload limit)."""
    request.FILES  # noqa: B018 - parse the body: the handler records while parsing
    if getattr(request, "upload_refusals", None):
        return too_large_message()
    return None


@contextmanager
def upload_path(uploaded) -> Iterator[Path]:
    """A path holding the uploaded bytes (the handler's temporary file when there is one)."""
    if uploaded is None:
        raise InvalidInput(
            _("Choose a file to upload."),
            details=[{"location": "file", "message": str(_("Required."))}],
        )
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        message = too_large_message()
        raise InvalidInput(message, details=[{"location": "file", "message": message}])
    if hasattr(uploaded, "temporary_file_path"):
        yield Path(uploaded.temporary_file_path())
        return
    directory = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    handle, name = tempfile.mkstemp(prefix="impor-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        yield Path(name)
    finally:
        os.unlink(name)
