"""The evidence files in storage, through Django's storage API (filesystem or S3 alike)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.core.files.storage import Storage, default_storage

from monev.evidence.storage import stored_names

CHUNK = 1024 * 1024


def evidence_names(storage: Storage | None = None) -> Iterator[str]:
    """Every file under the evidence prefix (upload temporaries live elsewhere)."""
    yield from stored_names(storage or default_storage)


def has_evidence_files(storage: Storage | None = None) -> bool:
    return next(evidence_names(storage), None) is not None


def sha256_of(storage: Storage, name: str) -> tuple[str, int]:
    """(hex SHA-256, size) of a stored file's bytes."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class HashingReader:
    """A file-like wrapper that hashes what is read through it (tar members, restores)."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    # What storage backends ask of a stream (django-storages' S3 upload among them).
    @property
    def closed(self) -> bool:
        return self.raw.closed

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def hexdigest(self) -> str:
        return self.digest.hexdigest()

    def drain(self) -> str:
        while self.read(CHUNK):
            pass
        return self.hexdigest()
