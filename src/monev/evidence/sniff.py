"""What an uploaded file is, decided from its content: never from its name.

Pure Python (no Django): the upload service and the background worker both call it.

    sniff(path) -> Sniffed(kind, content_type)      or raises Refused(code, message)
    safe_filename(name) -> a name safe to show and to store on any file system

Only the first bytes of a file are read, plus, for zip-based formats, the zip's central directory
and at most two small members (``[Content_Types].xml`` or ``mimetype``). A 2 GB file costs the
same as a 2 KB one. The size limit itself belongs to the upload layer.

Refusal codes are stable (the Django layer translates them): ``empty``, ``executable``,
``unknown_type``, ``zip_bomb``, ``corrupt_zip``, ``encrypted``, ``unreadable``.
"""

from __future__ import annotations

import os
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CONTENT_TYPES",
    "EXTENSIONS",
    "Refused",
    "Sniffed",
    "ZipLimits",
    "check_zip",
    "safe_filename",
    "sniff",
]

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "mp4": "video/mp4",
}

EXTENSIONS: dict[str, str] = {
    "pdf": ".pdf",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "odt": ".odt",
    "ods": ".ods",
    "png": ".png",
    "jpeg": ".jpg",
    "mp4": ".mp4",
}

HEAD_BYTES = 1024

# Zip safety limits (see check_zip).
MAX_ZIP_MEMBERS = 10_000
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_ABOVE_BYTES = 1_000_000
# Small members read to classify a zip ([Content_Types].xml, mimetype) are read up to this much.
MAX_MARKER_BYTES = 1_000_000

# Brands of the ISO base media / MP4 family (ISO/IEC 14496-12, -14, -15, 3GPP).
MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"iso7",
        b"iso8",
        b"iso9",
        b"mp41",
        b"mp42",
        b"mp71",
        b"avc1",
        b"M4V ",
        b"M4VH",
        b"M4VP",
        b"MSNV",
        b"3gp4",
        b"3gp5",
        b"3gp6",
        b"3gp7",
        b"3gp8",
        b"3gp9",
        b"3gg6",
        b"3ge6",
        b"3ge7",
        b"3g2a",
        b"3g2b",
        b"3g2c",
        b"dash",
        b"mmp4",
        b"NDSC",
        b"NDSH",
        b"NDSM",
        b"NDSP",
        b"NDSS",
        b"NDXC",
        b"NDXH",
        b"NDXM",
        b"NDXP",
        b"NDXS",
    }
)
# Major brands of other formats built on the same box structure (HEIF/AVIF images, QuickTime,
# JPEG 2000, Canon raw): never a video/mp4 even when they list an ISO brand as compatible.
NOT_MP4_BRANDS = frozenset(
    {
        *(b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1", b"avif", b"avis"),
        *(b"qt  ", b"jp2 ", b"jpx ", b"crx ", b"M4A ", b"M4B ", b"M4P "),
    }
)

_EXECUTABLE_MAGIC = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xfe\xed\xfa\xce", "a macOS program"),
    (b"\xfe\xed\xfa\xcf", "a macOS program"),
    (b"\xce\xfa\xed\xfe", "a macOS program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS program"),  # universal binary (also a Java class file)
    (b"#!", "a script"),
)

_OOXML_MAIN_TYPES = {
    "docx": (
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    ),
    "xlsx": (
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    ),
}


@dataclass(frozen=True)
class Sniffed:
    kind: str
    content_type: str

    @property
    def extension(self) -> str:
        """The usual extension of the kind, with its dot (".pdf")."""
        return EXTENSIONS[self.kind]


class Refused(Exception):
    """The file is not accepted. ``code`` is stable; ``message`` is English, for logs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"Refused({self.code!r}, {self.message!r})"


def _ok(kind: str) -> Sniffed:
    return Sniffed(kind=kind, content_type=CONTENT_TYPES[kind])


def sniff(path: str | os.PathLike[str], *, max_unpacked_bytes: int = 1_000_000_000) -> Sniffed:
    """The kind of the file at ``path``, from its content; raises Refused otherwise."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                raise Refused("empty", "The file is empty.")
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise Refused("unreadable", f"The file cannot be read: {exc.strerror or exc}.") from exc
    if not head:
        raise Refused("empty", "The file is empty.")

    for magic, what in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            raise Refused("executable", f"The file is {what}, not a document.")

    # Formats with a signature at offset 0 first: a zip or an image that happens to carry
    # "%PDF-" in its first kilobyte is still a zip or an image.
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _ok("png")
    if head.startswith(b"\xff\xd8\xff"):
        return _ok("jpeg")
    if _is_mp4(head, size):
        return _ok("mp4")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _ok(_zip_kind(path, max_unpacked_bytes))
    if b"%PDF-" in head:  # PDF readers accept up to 1 KB of junk before the header
        return _ok("pdf")
    raise Refused("unknown_type", "The file type is not one of the accepted types.")


def _is_mp4(head: bytes, size: int) -> bool:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    (box_size,) = struct.unpack(">I", head[:4])
    if box_size < 16 or box_size > size or (box_size - 16) % 4:
        return False
    major = head[8:12]
    if major in MP4_BRANDS:
        return True
    if major in NOT_MP4_BRANDS:
        return False
    compatible = head[16 : min(box_size, len(head))]
    return any(compatible[i : i + 4] in MP4_BRANDS for i in range(0, len(compatible) - 3, 4))


# --- zip ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    max_unpacked_bytes: int
    max_members: int = MAX_ZIP_MEMBERS
    max_ratio: int = MAX_COMPRESSION_RATIO
    ratio_check_above: int = RATIO_CHECK_ABOVE_BYTES


def _declared_member_count(path: Path) -> int | None:
    """Entry count from the end-of-central-directory record, read without parsing the zip.

    Lets a zip with millions of entries be refused before zipfile builds an object for each.
    None when the record cannot be found (zipfile then decides whether the zip is corrupt).
    """
    with path.open("rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        tail_len = min(size, 22 + 65535 + 20)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos == -1 or pos + 22 > len(tail):
        return None
    (count,) = struct.unpack_from("<H", tail, pos + 10)
    if count != 0xFFFF:
        return count
    # Zip64: the locator sits just before the record and points at the zip64 end record.
    loc = pos - 20
    if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
        return None
    (record_offset,) = struct.unpack_from("<Q", tail, loc + 8)
    with path.open("rb") as fh:
        fh.seek(record_offset)
        record = fh.read(56)
    if len(record) < 56 or record[:4] != b"PK\x06\x06":
        return None
    (count64,) = struct.unpack_from("<Q", record, 32)
    return count64


def check_zip(zf: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Refuse a zip that would unpack to too much, is packed suspiciously tight, or is encrypted.

    Declared sizes are trusted as an upper bound: Python's zipfile never returns more bytes for a
    member than its declared size (and fails the CRC check when the data disagrees).
    """
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise Refused(
            "zip_bomb", f"The archive has {len(infos)} entries (limit {limits.max_members})."
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused("encrypted", "The document is encrypted (password-protected).")
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise Refused(
                "zip_bomb",
                f"The archive would unpack to more than {limits.max_unpacked_bytes} bytes.",
            )
        if info.file_size > limits.ratio_check_above and (
            info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
        ):
            raise Refused(
                "zip_bomb",
                f"The archive entry {info.filename!r} is compressed suspiciously tightly.",
            )


def open_checked_zip(path: str | os.PathLike[str], limits: ZipLimits) -> zipfile.ZipFile:
    """Open ``path`` as a zip after the safety checks; raises Refused. The caller closes it."""
    path = Path(path)
    try:
        count = _declared_member_count(path)
    except OSError as exc:
        raise Refused("unreadable", f"The file cannot be read: {exc.strerror or exc}.") from exc
    if count is not None and count > limits.max_members:
        raise Refused("zip_bomb", f"The archive has {count} entries (limit {limits.max_members}).")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error) as exc:
        raise Refused("corrupt_zip", f"The archive is damaged: {exc}.") from exc
    except OSError as exc:
        raise Refused("unreadable", f"The file cannot be read: {exc.strerror or exc}.") from exc
    try:
        check_zip(zf, limits)
    except BaseException:
        zf.close()
        raise
    return zf


def read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of a member (more is an error, not a truncation)."""
    with zf.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise Refused("zip_bomb", f"The archive entry {name!r} is larger than expected.")
    return data


def _zip_kind(path: Path, max_unpacked_bytes: int) -> str:
    with open_checked_zip(path, ZipLimits(max_unpacked_bytes=max_unpacked_bytes)) as zf:
        try:
            return _classify_zip(zf)
        except Refused:
            raise
        except (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib.error) as exc:
            raise Refused("corrupt_zip", f"The archive is damaged: {exc}.") from exc


def _classify_zip(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    if "[Content_Types].xml" in names:
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise Refused("unknown_type", "Office files with macros are not accepted.")
        content_types = read_member(zf, "[Content_Types].xml", MAX_MARKER_BYTES)
        if b"macroEnabled" in content_types:
            raise Refused("unknown_type", "Office files with macros are not accepted.")
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    if "mimetype" in names:
        mimetype = read_member(zf, "mimetype", 200).strip()
        if mimetype == b"application/vnd.oasis.opendocument.text":
            return "odt"
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
    raise Refused("unknown_type", "The archive is not an accepted document type.")


# --- file names --------------------------------------------------------------------------------

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
