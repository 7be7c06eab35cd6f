"""What an uploaded file is, decided from its content and structure, never from its name: pure
Python (no Django), for the upload service and the worker. `sniff(path)` -> Sniffed or raises
Refused; what it checks, how, and the refusal codes: docs/security.md, "Uploads and downloads"."""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from monev.evidence.names import KIND_EXTENSIONS, download_name, safe_filename
from monev.evidence.packages import (
    ZipLimits,
    check_zip,
    limits_or_default,
    open_checked_zip,
    package_kind,
    read_member,
)
from monev.evidence.pdfcheck import check_pdf_structure, pdf_header_at_start
from monev.evidence.refused import Refused

__all__ = [
    "CONTENT_TYPES",
    "EXTENSIONS",
    "Refused",
    "Sniffed",
    "ZipLimits",
    "check_zip",
    "download_name",
    "open_checked_zip",
    "read_member",
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

EXTENSIONS: dict[str, str] = {kind: extensions[0] for kind, extensions in KIND_EXTENSIONS.items()}

HEAD_BYTES = 1024

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


# Markup a browser or mshta runs, and the start of batch and Windows Script Host code. Looked
# for in the first kilobyte of every file, also with NUL bytes dropped (UTF-16 text).
_ACTIVE_CONTENT = re.compile(
    rb"<\s*(?:script|html|head|body|iframe|frame|object|embed|svg|hta:application|"
    rb"!doctype\s+html)\b|<\?xml-stylesheet|(?:^|[\r\n])[ \t]*@echo\s+off\b|wscript\.|"
    rb"createobject\s*\(",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sniffed:
    kind: str
    content_type: str

    @property
    def extension(self) -> str:
        """The usual extension of the kind, with its dot (".pdf")."""
        return EXTENSIONS[self.kind]


def _ok(kind: str) -> Sniffed:
    return Sniffed(kind=kind, content_type=CONTENT_TYPES[kind])


def sniff(
    path: str | os.PathLike[str],
    *,
    limits: ZipLimits | None = None,
    max_unpacked_bytes: int | None = None,
) -> Sniffed:
    """The kind of the file at ``path``, from its content; raises Refused otherwise.

    ``limits`` are packages.ZIP_LIMITS (those of extraction) unless given; ``max_unpacked_bytes``
    lowers their total for a caller with a smaller budget (spreadsheet imports)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                raise Refused("empty", "The file is empty.")
            head = fh.read(HEAD_BYTES)
            kind = _kind(head, size)
            if kind == "pdf":
                check_pdf_structure(fh, size)
    except OSError as exc:
        raise Refused("unreadable", f"The file cannot be read: {exc.strerror or exc}.") from exc
    if kind == "zip":
        limits = limits_or_default(limits)
        if max_unpacked_bytes is not None:
            limits = ZipLimits(max_unpacked_bytes, limits.max_members, limits.max_ratio)
        with open_checked_zip(path, limits) as zf:
            kind = package_kind(zf)
    return _ok(kind)


def _kind(head: bytes, size: int) -> str:
    """The kind the first bytes tell; "pdf" and "zip" are looked into further by sniff()."""
    if not head:
        raise Refused("empty", "The file is empty.")
    for magic, what in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            raise Refused("executable", f"The file is {what}, not a document.")
    if _ACTIVE_CONTENT.search(head) or _ACTIVE_CONTENT.search(head.replace(b"\0", b"")):
        raise Refused("active_content", "The file holds a web page or script.")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if _is_mp4(head, size):
        return "mp4"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if pdf_header_at_start(head):
        return "pdf"
    if b"%PDF-" in head:  # readers would skip what comes before it: a runnable prefix
        raise Refused("corrupt_pdf", "Something other than white space precedes the PDF header.")
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
