"""Zip-based evidence (DOCX, XLSX, ODT, ODS): the safety limits, and what a package is, decided
from its parsed structure (pure Python, no Django).

    open_checked_zip(path) -> ZipFile        after the limits; raises Refused
    package_kind(zf) -> "docx" | "xlsx" | "odt" | "ods"      or raises Refused

**One definition of the limits.** ``ZIP_LIMITS`` is what the upload (sniff) and the text
extraction (extract) both enforce, read when they run: total unpacked size, member count, and
the compression ratio of every member whatever its size. What extraction would refuse is
refused at upload.

**Macros and embedded programs by structure, not by spelling.** ``[Content_Types].xml`` and
every ``.rels`` part are parsed as XML (character references decoded; a DOCTYPE refused, so no
entity is ever expanded and nothing fetched), and content and relationship types are compared
case-insensitively. Every member's first bytes are read too: an OLE compound file (a VBA
project, an ActiveX control, an embedded legacy object) is refused whatever it is called.
An OpenDocument file carrying Basic or script libraries is refused the same way. The kind is the
content type of the main part the package's relationships declare (without relationships, or
without a declared type, the part where Word and Excel put it decides, as before).
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from monev.evidence.refused import Refused

__all__ = ["ZIP_LIMITS", "ZipLimits", "check_zip", "open_checked_zip", "package_kind"]

# A member may unpack to at most MAX_COMPRESSION_RATIO times its packed size (deflate reaches
# about 1000:1 on zeros; real documents stay far below 200:1).
MAX_UNPACKED_BYTES = 200_000_000
MAX_ZIP_MEMBERS = 10_000
MAX_COMPRESSION_RATIO = 200
# Each XML part read to classify a package, and all of them together.
MAX_MARKER_BYTES = 1_000_000
MAX_XML_BYTES = 16_000_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Lower-cased pieces of the content and relationship types that carry code: VBA projects and
# their data, macro-enabled main parts, Excel 4 macro sheets, ActiveX controls, OLE objects.
CODE_TYPES = ("macroenabled", "vbaproject", "vbadata", "macrosheet", "activex", "oleobject")
# OpenDocument keeps Basic libraries and scripts (Python, JavaScript, BeanShell) here; the
# library indexes alone (an empty "Standard" library) hold no code.
ODF_CODE_FOLDERS = ("basic/", "scripts/")
ODF_LIBRARY_INDEXES = ("script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml")

MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
}
USUAL_MAIN_PARTS = {"/word/document.xml": "docx", "/xl/workbook.xml": "xlsx"}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


@dataclass(frozen=True)
class ZipLimits:
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_members: int = MAX_ZIP_MEMBERS
    max_ratio: int = MAX_COMPRESSION_RATIO


ZIP_LIMITS = ZipLimits()


def limits_or_default(limits: ZipLimits | None) -> ZipLimits:
    """``limits``, or ZIP_LIMITS as it is now (so a change applies to upload and extraction)."""
    return ZIP_LIMITS if limits is None else limits


# --- limits --------------------------------------------------------------------------------


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


def check_zip(zf: zipfile.ZipFile, limits: ZipLimits | None = None) -> None:
    """Refuse a zip that would unpack to too much, has a member packed suspiciously tight, or
    is encrypted.

    Declared sizes are trusted as an upper bound: Python's zipfile never returns more bytes for a
    member than its declared size (and fails the CRC check when the data disagrees).
    """
    limits = limits_or_default(limits)
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
        if info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise Refused(
                "zip_bomb",
                f"The archive entry {info.filename!r} is compressed suspiciously tightly.",
            )


def open_checked_zip(
    path: str | os.PathLike[str], limits: ZipLimits | None = None
) -> zipfile.ZipFile:
    """Open ``path`` as a zip after the safety checks; raises Refused. The caller closes it."""
    limits = limits_or_default(limits)
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


def read_member(zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, limit: int) -> bytes:
    """At most ``limit`` bytes of a member (more is an error, not a truncation)."""
    with zf.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise Refused("zip_bomb", f"The archive entry {name!r} is larger than expected.")
    return data


# --- what the package is -------------------------------------------------------------------


def package_kind(zf: zipfile.ZipFile) -> str:
    """The kind of a checked zip (see open_checked_zip); raises Refused."""
    try:
        return _Package(zf).kind()
    except Refused:
        raise
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib.error) as exc:
        raise Refused("corrupt_zip", f"The archive is damaged: {exc}.") from exc


_MACROS = "The document carries macros or embedded programs ({what})."


class _Package:
    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            key = info.filename.lower()  # OPC part names are case-insensitive
            if key in self.members:  # readers disagree on which copy counts
                raise Refused("corrupt_zip", f"The archive holds {info.filename!r} twice.")
            self.members[key] = info
        self.xml_read = 0

    def kind(self) -> str:
        self._refuse_embedded_programs()
        if "[content_types].xml" in self.members:
            return self._ooxml_kind()
        if "mimetype" in self.members:
            mimetype = read_member(self.zf, self.members["mimetype"], 200).strip()
            if mimetype in ODF_TYPES:
                return ODF_TYPES[mimetype]
        raise Refused("unknown_type", "The archive is not an accepted document type.")

    def _refuse_embedded_programs(self) -> None:
        odf = "mimetype" in self.members
        for key, info in self.members.items():
            if info.is_dir():
                continue
            if odf and key.startswith(ODF_CODE_FOLDERS) and not key.endswith(ODF_LIBRARY_INDEXES):
                raise Refused("macros", _MACROS.format(what=info.filename))
            if info.file_size < len(OLE_MAGIC):
                continue
            with self.zf.open(info) as member:
                if member.read(len(OLE_MAGIC)) == OLE_MAGIC:
                    raise Refused("macros", _MACROS.format(what=f"OLE file {info.filename}"))

    def _xml(self, key: str):
        from lxml import etree

        data = read_member(self.zf, self.members[key], MAX_MARKER_BYTES)
        self.xml_read += len(data)
        if self.xml_read > MAX_XML_BYTES:
            raise Refused("zip_bomb", "The document's package parts are larger than allowed.")
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise Refused("corrupt_zip", f"The part {key!r} is not well-formed XML.") from exc
        if root.getroottree().docinfo.doctype:
            raise Refused("corrupt_zip", f"The part {key!r} declares a DOCTYPE.")
        return root

    def _types(self, key: str, attribute: str) -> list[tuple[object, str]]:
        """(element, lower-cased attribute value) for every element carrying ``attribute``."""
        return [
            (element, element.get(attribute).lower())
            for element in self._xml(key).iter()
            if isinstance(element.tag, str) and element.get(attribute) is not None
        ]

    def _ooxml_kind(self) -> str:
        content_types = self._types("[content_types].xml", "ContentType")
        rels = {key: self._types(key, "Type") for key in self.members if key.endswith(".rels")}
        for _element, value in content_types + [pair for pairs in rels.values() for pair in pairs]:
            if any(marker in value for marker in CODE_TYPES):
                raise Refused("macros", _MACROS.format(what=value))
        main = self._main_part(rels.get("_rels/.rels", []))
        if main is None:  # no package relationships: where Word and Excel put it
            main = next((part for part in USUAL_MAIN_PARTS if part[1:] in self.members), None)
        if main is None or main.lstrip("/").lower() not in self.members:
            raise Refused("unknown_type", "The package declares no main document part.")
        content_type = self._content_type(main, content_types)
        kind = MAIN_TYPES.get(content_type)
        if kind is None and content_type in ("", "application/xml"):  # type left undeclared
            kind = USUAL_MAIN_PARTS.get(main.lower())
        if kind is None:
            raise Refused("unknown_type", "The package's main part is not an accepted type.")
        return kind

    @staticmethod
    def _main_part(package_relationships) -> str | None:
        for element, value in package_relationships:
            if value.endswith("/officedocument"):
                return "/" + (element.get("Target") or "").lstrip("/")
        return None

    @staticmethod
    def _content_type(part: str, content_types) -> str:
        extension = part.rsplit(".", 1)[-1].lower()
        default = ""
        for element, value in content_types:
            if (element.get("PartName") or "").lower() == part.lower():
                return value
            if (element.get("Extension") or "").lower() == extension:
                default = value
        return default
