"""Receiving uploads: streamed to a temporary file in the data directory (memory stays flat
whatever the size), hashed while they arrive, and stopped at the size limit.

Two ways in, one way on (storage.store_upload): a multipart form (the no-script page, API
clients that prefer it), through HashingUploadHandler; or the file as the whole request body
(the page's upload script, API clients), through receive_body, which is several times faster.

A multipart file over the limit is skipped as it arrives: its bytes are discarded, its
temporary file deleted, and the request carries `upload_refusals` for the view to explain.
A raw body over the limit is refused from its Content-Length before a byte is read, and one
longer than its Content-Length is refused once read, as far as the server lets that be seen
(more_than_declared).
"""

from __future__ import annotations

import hashlib
import os
import queue
import select
import socket
import threading
from contextlib import suppress
from email.message import Message

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler

from monev.evidence.storage import refusal, upload_name


class HashingUploadHandler(TemporaryFileUploadHandler):
    # Larger chunks than Django's 64 KB mean fewer trips through Python per megabyte; measured
    # with Django's multipart parser, 256 KB was fastest (1 MB was slower than 64 KB).
    chunk_size = 256 * 1024

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MONEV_UPLOAD_MAX_BYTES:
            refusals = getattr(self.request, "upload_refusals", [])
            refusals.append({"name": self.file_name, "code": "too_large"})
            self.request.upload_refusals = refusals
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            raise SkipFile
        self.digest.update(raw_data)
        self.file.write(raw_data)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.digest.hexdigest()
        return uploaded


# --- raw-body uploads -------------------------------------------------------------------------
#
# The file is the whole request body (the browser's upload script and API clients send it so):
# no multipart framing to parse, so the bytes go from the socket to a temporary file in large
# chunks. Hashing runs in a second thread and starting the disk writeback in a third, both
# overlapping the network read (hashlib and posix_fadvise release the GIL), so the final fsync
# finds little left to write. Memory stays flat: at most DEPTH chunks wait for the hash.

RAW_CHUNK = 1024 * 1024  # measured: 1 MB reads beat 512 KB, 2 MB and 4 MB
DEPTH = 4
WRITEBACK_EVERY = 8 * 1024 * 1024  # measured: better than 4 and 32
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_DONE = object()


def is_raw_body(request) -> bool:
    """Whether the request body is the file itself (not a form, not JSON)."""
    return request.content_type not in (*FORM_TYPES, "application/json")


def body_filename(request) -> str:
    """The file's name from `Content-Disposition: attachment; filename*=UTF-8''...` (RFC 8187,
    percent-encoded, for any name) or `filename="..."`."""
    header = request.headers.get("Content-Disposition", "")
    message = Message()
    message["Content-Disposition"] = header
    try:
        name = message.get_filename() or ""
    except (ValueError, LookupError):  # a malformed or unknown charset
        name = ""
    if "filename*" not in header:
        # WSGI hands headers over as latin-1; a plain filename="..." sent as UTF-8 is common.
        with suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("latin-1").decode("utf-8")
    return upload_name(name)


def declared_length(request) -> int:
    """The body's length from Content-Length, checked against the limit before any byte is read."""
    value = request.META.get("CONTENT_LENGTH", "")
    if not value.isdigit():
        raise refusal("no_length")
    length = int(value)
    if length == 0:
        raise refusal("empty")
    if length > settings.MONEV_UPLOAD_MAX_BYTES:
        raise refusal("too_large")
    return length


class _Worker:
    """`work(item)` for every item put, in a thread; a bounded queue keeps memory flat. The
    first error is kept and raised by finish(); later items are dropped."""

    def __init__(self, work, depth: int) -> None:
        self.queue: queue.Queue = queue.Queue(depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self.thread.start()

    def _run(self, work) -> None:
        while (item := self.queue.get()) is not _DONE:
            if self.error is None:
                try:
                    work(item)
                except BaseException as error:  # handed to the caller by finish()
                    self.error = error

    def finish(self) -> None:
        self.queue.put(_DONE)
        self.thread.join()
        if self.error is not None:
            raise self.error


# Starting the writeback of what has arrived while the rest still arrives, so that little is
# left for the final fsync: posix_fadvise(DONTNEED) starts it asynchronously and flushes no
# device cache. (fdatasync every few MB did the same but, flushing the device cache each time,
# cost more than it saved on a virtual disk; a writer thread beside this one was slower still.)
ADVISE = getattr(os, "posix_fadvise", None)  # not on every system: then only the final fsync
DONTNEED = getattr(os, "POSIX_FADV_DONTNEED", 0)


def _start_writeback(descriptor: int) -> None:
    if ADVISE is not None:
        with suppress(OSError):  # only a head start: the final fsync is what makes it durable
            ADVISE(descriptor, 0, 0, DONTNEED)


def _receive(request, handle, length: int) -> str:
    """Copy `length` body bytes into `handle` (synced to disk), return their SHA-256."""
    digest = hashlib.sha256()
    descriptor = handle.fileno()
    hasher = _Worker(digest.update, DEPTH)
    writeback = _Worker(lambda _: _start_writeback(descriptor), 1)
    left, unadvised = length, 0
    try:
        while left:
            try:
                chunk = request.read(min(RAW_CHUNK, left))
            except OSError:  # the client went away
                chunk = b""
            if not chunk:
                raise refusal("interrupted")
            left -= len(chunk)
            hasher.queue.put(chunk)
            handle.write(chunk)
            unadvised += len(chunk)
            if unadvised >= WRITEBACK_EVERY and writeback.queue.empty():
                handle.flush()
                writeback.queue.put(None)
                unadvised = 0
        if more_than_declared(request):
            raise refusal("too_long")
    finally:
        hasher.finish()
        writeback.finish()
    handle.flush()
    os.fsync(descriptor)
    return digest.hexdigest()


def more_than_declared(request) -> bool:
    """Whether the client sent more than its Content-Length, once that much has been read.

    HTTP says such bytes start the next request, and WSGI lets an application read only what
    was declared, so a buggy client's file would be stored cut short. What can be seen without
    waiting is checked: what Django's test client holds, what gunicorn (the production server,
    `monev serve`) has buffered beyond the body, or bytes already waiting on its socket. Behind
    a proxy, the proxy frames the request and never forwards such bytes as part of it.
    """
    stream = request.environ.get("wsgi.input")
    if hasattr(stream, "__len__"):  # django.test.client.FakePayload: the bytes left
        return len(stream) > 0
    buffered = getattr(getattr(getattr(stream, "reader", None), "unreader", None), "buf", None)
    if buffered is not None and len(buffered.getvalue()) > 0:
        return True
    sock = request.environ.get("gunicorn.socket")
    if sock is None:
        return False
    try:
        waiting, _, _ = select.select([sock], [], [], 0)
        return bool(waiting) and bool(sock.recv(1, socket.MSG_PEEK))
    except (OSError, ValueError):  # closed, or TLS (no peeking): nothing to tell
        return False


def receive_body(request) -> TemporaryUploadedFile:
    """The request body as an uploaded file, like the multipart handler's (a temporary file in
    the data directory, `sha256` set, synced to disk), for the same storage service. Refused
    (InvalidInput) without a name, without or over the length limit, or cut short; nothing is
    left behind then."""
    name = body_filename(request)
    length = declared_length(request)
    content_type = request.content_type or "application/octet-stream"
    uploaded = TemporaryUploadedFile(name, content_type, length, None)
    try:
        uploaded.sha256 = _receive(request, uploaded.file, length)
    except BaseException:
        uploaded.close()  # a NamedTemporaryFile: closing deletes it
        raise
    uploaded.file.seek(0)
    return uploaded
