"""Download responses: one set of headers for every file the site hands out (evidence,
exports, import templates), so that none is rendered inline, sniffed or cached."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

# A downloaded file opened in the browser runs nothing and loads nothing (docs/security.md).
FILE_POLICY = "sandbox; default-src 'none'"


def content_disposition(name: str) -> str:
    """attachment, with an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 5987)."""
    fallback = (
        "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in name).strip()
        or "file"
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def as_download(response: HttpResponse, name: str, size: int) -> HttpResponse:
    """Marks a response holding a file as its download: named, sized, not sniffed, not run,
    not cached."""
    response["Content-Disposition"] = content_disposition(name)
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


def bytes_download(content: bytes, name: str, content_type: str) -> HttpResponse:
    return as_download(HttpResponse(content, content_type=content_type), name, len(content))
