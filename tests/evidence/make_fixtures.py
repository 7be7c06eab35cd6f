"""Regenerate the evidence test fixtures in tests/evidence/fixtures/.

    .venv/bin/python tests/evidence/make_fixtures.py

Every fixture is built from fixed bytes so a regeneration gives identical files (zip entries carry
a fixed timestamp, document properties carry fixed dates, the encrypted PDF a fixed identifier).
The only dependency on the environment is zlib: a different zlib build (zlib-ng) may compress
differently; the files stay valid and the tests still pass.

The expected outcome of each fixture is in FIXTURES below; the tests read it from there.
"""

from __future__ import annotations

import io
import random
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES_DIR = HERE / "fixtures"

# A fixed timestamp for every zip entry (the earliest a zip can store).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

PDF_PHRASE = "Peraturan Wali Kota Bandung Nomor 12 Tahun 2024 tentang Arsitektur SPBE"
PDF_PHRASE_PAGE2 = "Halaman kedua: Tata Kelola SPBE Kota Bandung"
DOCX_PHRASE = "Keputusan Sekretaris Daerah tentang Tim Koordinasi SPBE"
DOCX_TABLE_PHRASE = "Dinas Komunikasi dan Informatika"
XLSX_SHEET = "Inventaris Aplikasi"
XLSX_PHRASE = "Sistem Informasi Kepegawaian"
ODT_PHRASE = "Notulen rapat evaluasi mandiri SPBE"
ODS_SHEET = "Layanan"
ODS_PHRASE = "Layanan pengaduan masyarakat"

# name -> expected sniff outcome: ("ok", kind, content_type) or ("refused", code)
FIXTURES: dict[str, tuple[str, ...]] = {
    "good.pdf": ("ok", "pdf", "application/pdf"),
    "scan.pdf": ("ok", "pdf", "application/pdf"),
    "encrypted.pdf": ("ok", "pdf", "application/pdf"),
    "broken_xref.pdf": ("ok", "pdf", "application/pdf"),
    "nested.pdf": ("ok", "pdf", "application/pdf"),
    "good.docx": (
        "ok",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "good.xlsx": (
        "ok",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "good.odt": ("ok", "odt", "application/vnd.oasis.opendocument.text"),
    "good.ods": ("ok", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "good.png": ("ok", "png", "image/png"),
    "good.jpeg": ("ok", "jpeg", "image/jpeg"),
    "good.mp4": ("ok", "mp4", "video/mp4"),
    "empty.pdf": ("refused", "empty"),
    "exe_renamed.pdf": ("refused", "executable"),
    "elf_renamed.docx": ("refused", "executable"),
    "script_renamed.pdf": ("refused", "executable"),
    "bomb.docx": ("refused", "zip_bomb"),
    "encrypted_zip.docx": ("refused", "encrypted"),
    "corrupt_zip.xlsx": ("refused", "corrupt_zip"),
    "random_zip.xlsx": ("refused", "unknown_type"),
    "macro.docx": ("refused", "macros"),
    "text.pdf": ("refused", "unknown_type"),
}


# --- PDF -------------------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (object 1 is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def _text_content(line: str) -> bytes:
    text = (
        line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    )
    return b"BT /F1 11 Tf 56 780 Td (%s) Tj ET" % text


def good_pdf() -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources "
    page += b"<< /Font << /F1 3 0 R >> >> >>"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R 6 0 R] /Count 2 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            page % 5,
            _stream(_text_content(PDF_PHRASE)),
            page % 7,
            _stream(_text_content(PDF_PHRASE_PAGE2)),
        ]
    )


def scan_pdf() -> bytes:
    """One page holding only an image: what a scanner produces (no text layer)."""
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    image = _stream(
        b"\x00\x80\x80\xff",
        b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 ",
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            _stream(content),
            image,
        ]
    )


def broken_xref_pdf() -> bytes:
    """A PDF cut short in the middle of an object, with a garbage xref and trailer."""
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R\n"
        b"xref\n0 3\ngarbage garbage\ntrailer\n<< /Size 9 /Root 7 0 R\n"
        b"startxref\n999999\n%%EOF"
    )


def nested_pdf() -> bytes:
    """A page dictionary holding 3,000 nested arrays: a recursive parser overflows."""
    depth = 3_000
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Junk "
            + b"[" * depth
            + b"]" * depth
            + b" >>",
        ]
    )


def encrypted_pdf() -> bytes:
    """good.pdf encrypted with a user password (RC4, which pypdf writes without extra libraries)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good_pdf())))
    fixed_id = ByteStringObject(b"monev-evidence-1")
    writer._ID = ArrayObject((fixed_id, fixed_id))
    writer.encrypt(user_password="rahasia", owner_password="pemilik", algorithm="RC4-128")
    writer._ID = ArrayObject((fixed_id, fixed_id))  # encrypt() draws a random second half
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- zip-based -------------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    """A zip with a fixed timestamp on every member; members are (name, data, compression)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data, compression in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip written by a library with fixed timestamps (same members, same order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(i.filename, zf.read(i), zipfile.ZIP_DEFLATED) for i in zf.infolist()]
    return _zip(members)


def good_docx() -> bytes:
    import datetime as dt

    import docx

    document = docx.Document()
    document.add_heading(DOCX_PHRASE, level=1)
    document.add_paragraph("Menimbang: bahwa untuk melaksanakan evaluasi SPBE perlu dibentuk tim.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Unit"
    table.cell(0, 1).text = "Peran"
    table.cell(1, 0).text = DOCX_TABLE_PHRASE
    table.cell(1, 1).text = "Sekretariat tim"
    document.add_paragraph("Ditetapkan di Bandung.")
    props = document.core_properties
    fixed = dt.datetime(2024, 1, 3, 9, 0, 0)  # noqa: DTZ001 - a fixed naive stamp, as docx stores
    props.created = fixed
    props.modified = fixed
    props.last_printed = fixed
    props.author = "monev"
    props.last_modified_by = "monev"
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return _normalise_zip(out.getvalue())


def good_xlsx() -> bytes:
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = XLSX_SHEET
    sheet.append(["No", "Nama aplikasi", "Pemilik", "Pengguna"])
    sheet.append([1, XLSX_PHRASE, "BKPSDM", 3120])
    sheet.append([2, "Aplikasi Perencanaan Daerah", "Bappeda", 240])
    second = workbook.create_sheet("Catatan")
    second["A1"] = "Data per 31 Desember 2024"
    fixed = dt.datetime(2024, 1, 3, 9, 0, 0)  # noqa: DTZ001 - openpyxl stores naive stamps
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "monev"
    out = io.BytesIO()
    workbook.save(out)
    data = _normalise_zip(out.getvalue())
    # openpyxl stamps "modified" with the current time when saving: put the fixed one back.
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(i.filename, zf.read(i), zipfile.ZIP_DEFLATED) for i in zf.infolist()]
    fixed_members = []
    for name, body, compression in members:
        if name == "docProps/core.xml":
            body = re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                rb"\g<1>2024-01-03T09:00:00Z\g<2>",
                body,
            )
        fixed_members.append((name, body, compression))
    return _zip(fixed_members)


_ODF_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'office:version="1.2"'
)


def odf(mimetype: str, body: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<office:document-content {_ODF_NS}><office:body>{body}</office:body>"
        "</office:document-content>\n"
    )
    return _zip(
        [
            ("mimetype", mimetype.encode("ascii"), zipfile.ZIP_STORED),
            ("content.xml", content.encode("utf-8"), zipfile.ZIP_DEFLATED),
            (
                "META-INF/manifest.xml",
                _ODF_MANIFEST.format(mimetype=mimetype).encode("utf-8"),
                zipfile.ZIP_DEFLATED,
            ),
        ]
    )


def good_odt() -> bytes:
    body = (
        "<office:text>"
        f'<text:h text:outline-level="1">{ODT_PHRASE}</text:h>'
        '<text:p>Hadir:<text:s/>Kepala<text:s text:c="2"/>Dinas<text:tab/>Sekretaris</text:p>'
        "<text:p>Keputusan: <text:span>dokumen arsitektur</text:span> disahkan.</text:p>"
        "</office:text>"
    )
    return odf("application/vnd.oasis.opendocument.text", body)


def good_ods() -> bytes:
    body = (
        "<office:spreadsheet>"
        f'<table:table table:name="{ODS_SHEET}">'
        "<table:table-row>"
        "<table:table-cell><text:p>No</text:p></table:table-cell>"
        "<table:table-cell><text:p>Nama layanan</text:p></table:table-cell>"
        "</table:table-row>"
        "<table:table-row>"
        '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
        "</table:table-cell>"
        f"<table:table-cell><text:p>{ODS_PHRASE}</text:p></table:table-cell>"
        '<table:table-cell table:number-columns-repeated="1020"/>'
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574">'
        "<table:table-cell/></table:table-row>"
        "</table:table>"
        "</office:spreadsheet>"
    )
    return odf("application/vnd.oasis.opendocument.spreadsheet", body)


def bomb_docx() -> bytes:
    """A DOCX whose document.xml unpacks to 50 MB of zeros (ratio about 1000:1)."""
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    return _zip(
        [
            ("[Content_Types].xml", content_types, zipfile.ZIP_DEFLATED),
            ("word/document.xml", bytes(50 * 1024 * 1024), zipfile.ZIP_DEFLATED),
        ]
    )


def macro_docx() -> bytes:
    """A macro-enabled Word document (.docm) renamed .docx."""
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    )
    return _zip(
        [
            ("[Content_Types].xml", content_types, zipfile.ZIP_DEFLATED),
            ("word/document.xml", b"<w:document/>", zipfile.ZIP_DEFLATED),
            ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(60), zipfile.ZIP_DEFLATED),
        ]
    )


def encrypted_zip_docx() -> bytes:
    """A DOCX-shaped zip whose members say they are encrypted (general purpose flag bit 0)."""
    data = bytearray(
        _zip(
            [
                ("[Content_Types].xml", b"<Types/>", zipfile.ZIP_STORED),
                ("word/document.xml", b"<w:document/>", zipfile.ZIP_STORED),
            ]
        )
    )
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            (flags,) = struct.unpack_from("<H", data, start + flag_offset)
            struct.pack_into("<H", data, start + flag_offset, flags | 0x1)
            start += 4
    return bytes(data)


def random_zip() -> bytes:
    rng = random.Random(20240103)
    return _zip(
        [
            ("data.bin", rng.randbytes(512), zipfile.ZIP_DEFLATED),
            ("catatan.txt", b"bukan dokumen kantor\n", zipfile.ZIP_DEFLATED),
        ]
    )


def corrupt_zip() -> bytes:
    """A local file header and then garbage: no central directory."""
    return b"PK\x03\x04" + b"\x14\x00" + bytes(range(200)) * 2


# --- images, video, executables ---------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def good_png() -> bytes:
    """A 1x1 white RGB PNG."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\xff\xff", 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def good_jpeg() -> bytes:
    """An 8x8 grey baseline JPEG: one Huffman code each for DC 0 and end-of-block."""

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\x00" + bytes([1] * 64)
    sof0 = b"\x08\x00\x08\x00\x08\x01\x01\x11\x00"  # 8 bits, 8x8, 1 component, table 0
    # One code of length 1 in each table: DC category 0, AC symbol 0x00 (end of block).
    dht_dc = b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    dht_ac = b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    sos = b"\x01\x01\x00\x00\x3f\x00"
    scan = bytes([0b00111111])  # DC "0", EOB "0", padded with ones
    return (
        b"\xff\xd8"
        + segment(0xE0, app0)
        + segment(0xDB, dqt)
        + segment(0xC0, sof0)
        + segment(0xC4, dht_dc)
        + segment(0xC4, dht_ac)
        + segment(0xDA, sos)
        + scan
        + b"\xff\xd9"
    )


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + kind + payload


def good_mp4() -> bytes:
    """An ftyp box and a minimal moov (a movie header, no tracks)."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = _box(
        b"mvhd",
        b"\x00\x00\x00\x00"  # version 0, flags
        + struct.pack(">IIII", 0, 0, 1000, 0)  # created, modified, timescale, duration
        + struct.pack(">IH", 0x10000, 0x100)  # rate 1.0, volume 1.0
        + bytes(10)
        + matrix
        + bytes(24)
        + struct.pack(">I", 2),  # next track id
    )
    return ftyp + _box(b"moov", mvhd)


def exe_renamed() -> bytes:
    """A DOS/PE header: "MZ", a stub, and the PE signature where e_lfanew points."""
    header = bytearray(128)
    header[0:2] = b"MZ"
    struct.pack_into("<I", header, 0x3C, 0x80)
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    header[0x40 : 0x40 + len(stub)] = stub
    pe = b"PE\x00\x00" + struct.pack("<HH", 0x14C, 0) + bytes(16)
    return bytes(header) + pe


def elf_renamed() -> bytes:
    """A 64-bit little-endian ELF header (x86-64 executable)."""
    ident = b"\x7fELF\x02\x01\x01" + bytes(9)
    rest = struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 0, 64, 0, 0)
    return ident + rest


def script_renamed() -> bytes:
    return b'#!/bin/sh\nrm -rf "$HOME"/tmp-monev-demo\necho selesai\n'


BUILDERS = {
    "good.pdf": good_pdf,
    "scan.pdf": scan_pdf,
    "encrypted.pdf": encrypted_pdf,
    "broken_xref.pdf": broken_xref_pdf,
    "nested.pdf": nested_pdf,
    "good.docx": good_docx,
    "good.xlsx": good_xlsx,
    "good.odt": good_odt,
    "good.ods": good_ods,
    "good.png": good_png,
    "good.jpeg": good_jpeg,
    "good.mp4": good_mp4,
    "empty.pdf": lambda: b"",
    "exe_renamed.pdf": exe_renamed,
    "elf_renamed.docx": elf_renamed,
    "script_renamed.pdf": script_renamed,
    "bomb.docx": bomb_docx,
    "encrypted_zip.docx": encrypted_zip_docx,
    "corrupt_zip.xlsx": corrupt_zip,
    "random_zip.xlsx": random_zip,
    "macro.docx": macro_docx,
    "text.pdf": lambda: b"Ini hanya teks biasa, bukan PDF.\n",
}
assert set(BUILDERS) == set(FIXTURES)


# --- the hostile corpus built at test time ------------------------------------------------------
#
# Files an outside probe got stored (issue 14), kept out of fixtures/ (one is a 900 KB zip): the
# tests build them into a temporary directory. name -> (builder, expected refusal code).

PROBE_HTA = (
    b'<html><head><HTA:APPLICATION/><script language="VBScript">CreateObject("WScript.Shell")'
    b'.Run "calc.exe"</script></head><!-- %PDF-1.4 --></html>'
)
# The OOXML relationship and content types of a VBA project, as Word writes them.
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
WORD_DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
    b'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Laporan</w:t></w:r></w:p>'
    b"</w:body></w:document>"
)


def _content_types(main_type: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>{extra}</Types>'
    ).encode()


def vba_project() -> bytes:
    """The start of an OLE compound file, as a vbaProject.bin is (the magic is what counts)."""
    return OLE_MAGIC + bytes(504)


def _word_package(content_types: bytes, *extra: tuple[str, bytes], rels: bytes = b"") -> bytes:
    members = [
        ("[Content_Types].xml", content_types, zipfile.ZIP_DEFLATED),
        ("_rels/.rels", PACKAGE_RELS, zipfile.ZIP_DEFLATED),
        ("word/document.xml", WORD_DOCUMENT, zipfile.ZIP_DEFLATED),
    ]
    if rels:
        members.append(("word/_rels/document.xml.rels", rels, zipfile.ZIP_DEFLATED))
    members += [(name, data, zipfile.ZIP_DEFLATED) for name, data in extra]
    return _zip(members)


def macro_charref_docm() -> bytes:
    """A .docm whose content type spells macroEnabled with an XML character reference."""
    main = "application/vnd.ms-word.document.macro&#69;nabled.main+xml"
    return _word_package(_content_types(main), ("word/vbaProj.bin", vba_project()))


def macro_case_docm() -> bytes:
    """A .docm whose content type writes MacroEnabled in another case."""
    main = "application/vnd.ms-word.document.MACROENABLED.main+xml"
    return _word_package(_content_types(main), ("word/vbaProj.bin", vba_project()))


def vba_by_relationship_docx() -> bytes:
    """Clean content types; the VBA project is announced only by a relationship."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId9" Type="{VBA_RELATIONSHIP.upper()}" Target="vbaProj.bin"/>'
        "</Relationships>"
    ).encode()
    return _word_package(_content_types(DOCX_MAIN), ("word/vbaProj.bin", b"VBA"), rels=rels)


def ole_part_docx() -> bytes:
    """A genuine-looking DOCX carrying an OLE compound file under an image's name."""
    return _word_package(_content_types(DOCX_MAIN), ("word/media/image1.png", vba_project()))


def doctype_docx() -> bytes:
    """[Content_Types].xml with a DOCTYPE declaring entities (expansion or an external fetch)."""
    types = _content_types(DOCX_MAIN).replace(
        b"<Types",
        b'<!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><Types',
        1,
    )
    return _word_package(types)


def odt_basic_macro() -> bytes:
    """An ODT carrying a LibreOffice Basic module."""
    module = (
        b'<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script="http://openoffice'
        b'.org/2000/script" script:name="Module1" script:language="StarBasic">Sub Main\n'
        b'Shell("calc.exe")\nEnd Sub</script:module>'
    )
    document = odf("application/vnd.oasis.opendocument.text", "<office:text/>")
    with zipfile.ZipFile(io.BytesIO(document)) as zf:
        members = [(i.filename, zf.read(i), i.compress_type) for i in zf.infolist()]
    return _zip([*members, ("Basic/Standard/Module1.xml", module, zipfile.ZIP_DEFLATED)])


def many_member_bomb_docx() -> bytes:
    """900 members of 999,999 zero bytes each: about 900 MB unpacked from under 1 MB, every
    member just under the size above which the ratio used to be checked."""
    members = [
        ("[Content_Types].xml", _content_types(DOCX_MAIN), zipfile.ZIP_DEFLATED),
        ("_rels/.rels", PACKAGE_RELS, zipfile.ZIP_DEFLATED),
        ("word/document.xml", WORD_DOCUMENT, zipfile.ZIP_DEFLATED),
    ]
    zeros = bytes(999_999)
    members += [(f"word/media/kosong{i}.bin", zeros, zipfile.ZIP_DEFLATED) for i in range(900)]
    return _zip(members)


HOSTILE: dict[str, tuple] = {
    # Scripts and web pages carrying "%PDF-" in their first kilobyte.
    "laporan.hta": (lambda: PROBE_HTA, "active_content"),
    "laporan.bat": (lambda: b"@echo off\r\nrem %PDF-1.4\r\nstart calc.exe\r\n", "active_content"),
    "laporan.html": (
        lambda: (
            b"<!DOCTYPE html><html><body><script>alert(document.domain)</script>"
            b"<!-- %PDF-1.4 --></body></html>"
        ),
        "active_content",
    ),
    "gambar.svg": (
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><!-- %PDF-1.4 --></svg>'
        ),
        "active_content",
    ),
    "utf16.html": (
        lambda: "\ufeff<html><script>alert(1)</script><!-- %PDF-1.4 --></html>".encode("utf-16-le"),
        "active_content",
    ),
    "header_then_html.pdf": (
        lambda: b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
        "active_content",
    ),
    "header_only.pdf": (lambda: b"%PDF-1.4\nIni bukan PDF.\n%%EOF\n", "corrupt_pdf"),
    "junk_then_pdf.pdf": (lambda: b"Lampiran:\n" + good_pdf(), "corrupt_pdf"),
    # Office packages with macros or embedded programs, however they are spelled.
    "macro3.docm": (macro_charref_docm, "macros"),
    "macro_case.docx": (macro_case_docm, "macros"),
    "vba_by_relationship.docx": (vba_by_relationship_docx, "macros"),
    "ole_part.docx": (ole_part_docx, "macros"),
    "basic_macro.odt": (odt_basic_macro, "macros"),
    "doctype.docx": (doctype_docx, "corrupt_zip"),
    # A zip bomb made of many members under the old ratio threshold.
    "many_member_bomb.docx": (many_member_bomb_docx, "zip_bomb"),
}


def build_hostile(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (builder, _code) in HOSTILE.items():
        paths[name] = directory / name
        paths[name].write_bytes(builder())
    return paths


def build_all(directory: Path = FIXTURES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in BUILDERS.items():
        path = directory / name
        path.write_bytes(builder())
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES_DIR
    for written_path in build_all(target):
        print(f"{written_path.stat().st_size:>8}  {written_path}")
