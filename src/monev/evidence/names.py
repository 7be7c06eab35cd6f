"""Names of evidence files: safe to store and show, and, for a download, ending in the
extension of the file's sniffed kind (pure Python, no Django).

    safe_filename(name) -> a name safe to show and to store on any file system
    download_name(name, kind) -> that name with the extension of ``kind``

A file is opened by its extension once it is saved: a PDF whose uploader called it
"laporan.hta" would run as an HTML application on Windows. So the name the product stores and
offers always ends like the kind the content was sniffed as ("laporan.pdf").
"""

from __future__ import annotations

import unicodedata

__all__ = ["FALLBACK_NAME", "KIND_EXTENSIONS", "download_name", "safe_filename"]

# The extensions each kind is known by, its usual one first.
KIND_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "odt": (".odt",),
    "ods": (".ods",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "mp4": (".mp4", ".m4v"),
}
# A kind no longer known (a row older than a kind's removal): an extension nothing runs.
UNKNOWN_EXTENSION = ".bin"


def download_name(name: str, kind: str) -> str:
    """``name`` made safe, ending in an extension of ``kind``: kept when it already is one of
    them (any case), else replacing the name's own extension ("laporan.hta" -> "laporan.pdf"),
    else appended ("Laporan v1.2" -> "Laporan v1.2.pdf": digits are no extension)."""
    name = safe_filename(name)
    extensions = KIND_EXTENSIONS.get(kind, (UNKNOWN_EXTENSION,))
    stem, dot, extension = name.rpartition(".")
    if dot and f".{extension}".lower() in extensions:
        return name
    if dot and _is_extension(extension) and not extension.isdigit():
        name = stem
    return safe_filename(name + extensions[0])


FALLBACK_NAME = "berkas"
_UNSAFE = frozenset('<>:"/\\|?*')
# Control, format (bidi overrides, zero-width), separator, surrogate and private-use categories.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in "123456789¹²³"}
    | {f"LPT{i}" for i in "123456789¹²³"}
)
_MAX_EXTENSION = 16
_MAX_NAME_BYTES = 255  # the limit of most file systems, in UTF-8 bytes


def safe_filename(name: str, *, max_length: int = 150) -> str:
    """A file name that is safe to store and to offer for download; never raises.

    Keeps the base name only (no directories, no "..", no leading dots), drops control and
    invisible format characters, normalises to NFC, replaces characters that Windows or Unix
    refuse with "_", keeps the extension when shortening, and falls back to "berkas".
    """
    try:
        return _safe_filename(name, max_length)
    except Exception:  # a name is never worth an error page
        return FALLBACK_NAME


def _safe_filename(name: str, max_length: int) -> str:
    if not isinstance(name, str):
        name = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if ch.isspace() else ch for ch in name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    # Base name only, whichever separator the client used.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join("_" if ch in _UNSAFE else ch for ch in name)
    name = " ".join(name.split()).rstrip(" .")  # Windows drops trailing dots and spaces

    stem, dot, extension = name.rpartition(".")
    if not dot or not _is_extension(extension):
        stem, extension = name, ""
    stem = stem.strip(" .")  # no hidden files, no "..", no dot before the extension's dot
    if not stem.strip("_-. "):
        stem = FALLBACK_NAME
    if stem.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        stem = "_" + stem

    suffix = f".{extension}" if extension else ""
    max_length = max(int(max_length), 1)
    if len(suffix) >= max_length:
        suffix = ""
    stem = _shorten(stem, max_length - len(suffix), _MAX_NAME_BYTES - len(suffix.encode()))
    result = stem + suffix
    return result if result.strip("_-. ") else FALLBACK_NAME


def _is_extension(extension: str) -> bool:
    return 0 < len(extension) <= _MAX_EXTENSION and extension.isalnum() and " " not in extension


def _shorten(stem: str, max_chars: int, max_bytes: int) -> str:
    stem = stem[:max_chars]
    while len(stem.encode("utf-8")) > max_bytes:
        stem = stem[:-1]
    # Shortening may end in a combining mark's base or a space: tidy the end again.
    stem = unicodedata.normalize("NFC", stem).rstrip(" .")
    return stem or FALLBACK_NAME[:max_chars]
