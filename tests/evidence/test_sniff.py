"""sniff(): a file's type from its content, never its name; safe_filename()."""

from __future__ import annotations

import dataclasses
import io
import struct
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from make_fixtures import (
    BUILDERS,
    FIXTURES,
    FIXTURES_DIR,
    HOSTILE,
    build_all,
    good_docx,
    good_pdf,
    odf,
)

from monev.evidence import packages
from monev.evidence.packages import ZipLimits
from monev.evidence.sniff import Refused, Sniffed, download_name, safe_filename, sniff
from monev.evidence.text_extraction import extract_text

GOOD = sorted(name for name, expected in FIXTURES.items() if expected[0] == "ok")
BAD = sorted(name for name, expected in FIXTURES.items() if expected[0] == "refused")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal_code(path: Path, **kwargs) -> str:
    with pytest.raises(Refused) as caught:
        sniff(path, **kwargs)
    assert caught.value.message
    return caught.value.code


# --- the committed fixtures ------------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD)
def test_it_recognises_each_good_fixture(name):
    _, kind, content_type = FIXTURES[name]
    assert sniff(FIXTURES_DIR / name) == Sniffed(kind=kind, content_type=content_type)


@pytest.mark.parametrize("name", BAD)
def test_it_refuses_each_bad_fixture_with_its_code(name):
    assert refusal_code(FIXTURES_DIR / name) == FIXTURES[name][1]


def test_it_has_a_fixture_file_for_every_expected_outcome():
    assert sorted(p.name for p in FIXTURES_DIR.iterdir()) == sorted(FIXTURES)


def test_it_regenerates_the_fixtures_byte_for_byte(tmp_path):
    build_all(tmp_path)
    for name in BUILDERS:
        assert (tmp_path / name).read_bytes() == (FIXTURES_DIR / name).read_bytes(), name


# --- the bad inputs, one by one --------------------------------------------------------


def test_it_refuses_an_executable_renamed_pdf():
    assert refusal_code(FIXTURES_DIR / "exe_renamed.pdf") == "executable"


def test_it_refuses_a_zip_bomb_inside_a_docx():
    assert refusal_code(FIXTURES_DIR / "bomb.docx") == "zip_bomb"


def test_it_refuses_a_zero_byte_file():
    assert refusal_code(FIXTURES_DIR / "empty.pdf") == "empty"


def test_it_answers_quickly_for_a_2_gb_file_without_reading_it(tmp_path):
    path = tmp_path / "besar.pdf"
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n1 0 obj\n<< /Length 2147483648 >>\nstream\n")
        fh.seek(2**31)
        fh.write(b"\nendstream\nendobj\nstartxref\n0\n%%EOF\n")
    assert path.stat().st_size > 2**31
    started = time.monotonic()
    assert sniff(path).kind == "pdf"
    assert time.monotonic() - started < 1.0


def test_it_answers_quickly_for_a_2_gb_file_that_is_not_a_document(tmp_path):
    path = tmp_path / "besar.docx"
    with path.open("wb") as fh:
        fh.seek(2**31)
        fh.write(b"\0")
    started = time.monotonic()
    assert refusal_code(path) == "unknown_type"
    assert time.monotonic() - started < 1.0


# --- executables whatever the name -------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b"MZ\x90\x00",
        b"\x7fELF\x02\x01\x01",
        b"\xfe\xed\xfa\xce\x00\x00",
        b"\xfe\xed\xfa\xcf\x00\x00",
        b"\xce\xfa\xed\xfe\x00\x00",
        b"\xcf\xfa\xed\xfe\x00\x00",
        b"\xca\xfe\xba\xbe\x00\x00",
        b"#!/usr/bin/env python3\nprint('%PDF-1.7')\n",
    ],
)
@pytest.mark.parametrize("name", ["laporan.pdf", "foto.png", "berkas"])
def test_it_refuses_executables_whatever_the_name(tmp_path, head, name):
    assert refusal_code(write(tmp_path, name, head + bytes(64))) == "executable"


def test_it_refuses_an_executable_even_with_a_pdf_header_inside(tmp_path):
    path = write(tmp_path, "polyglot.pdf", b"MZ" + bytes(62) + b"%PDF-1.7\n")
    assert refusal_code(path) == "executable"


# --- PDF, images, video ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix", [b"", b"\xef\xbb\xbf", b"\r\n", b"  \t\n", b"\0" * 1000, b"\xef\xbb\xbf\n\n"]
)
def test_it_accepts_a_pdf_after_a_bom_or_whitespace_only(tmp_path, prefix):
    assert sniff(write(tmp_path, "x.bin", prefix + good_pdf())).kind == "pdf"


@pytest.mark.parametrize(
    "prefix",
    [b"Lampiran:\n", b"<!-- ", b"rem ", b"\xef\xbb\xbfx", b"\0" * 1000 + b"x"],
)
def test_it_refuses_anything_but_whitespace_before_the_pdf_header(tmp_path, prefix):
    assert refusal_code(write(tmp_path, "x.pdf", prefix + good_pdf())) == "corrupt_pdf"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\nIni bukan PDF.\n%%EOF\n",  # no object after the header
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\ncalc.exe\nendobj\n%%EOF\n",  # not an object
        b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n",  # no end of file marker
        b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n" + b"x" * 2000,  # not at the end
        b"%PDF-x.y\n1 0 obj\n<< >>\nendobj\n%%EOF\n",  # not a version
    ],
)
def test_it_refuses_a_pdf_header_without_a_pdf_structure(tmp_path, data):
    assert refusal_code(write(tmp_path, "x.pdf", data)) == "corrupt_pdf"


def test_it_accepts_a_damaged_pdf_that_has_a_pdf_structure():
    # Its cross-reference table is garbage: the extractor says "unreadable", not the upload.
    assert sniff(FIXTURES_DIR / "broken_xref.pdf").kind == "pdf"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_it_refuses_every_file_of_the_hostile_corpus_with_its_code(hostile_files, name):
    assert refusal_code(hostile_files[name]) == HOSTILE[name][1]


@pytest.mark.parametrize(
    "head",
    [
        b"<script>alert(1)</script>",
        b"<HTML><BODY>",
        b"<hta:application/>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b'<?xml-stylesheet type="text/xsl" href="x.xsl"?>',
        b"<iframe src=x>",
        b"\r\n@ECHO OFF\r\n",
        b'Set s = CreateObject("WScript.Shell")',
    ],
)
def test_it_refuses_web_pages_and_scripts_whatever_else_the_file_holds(tmp_path, head):
    pdf = good_pdf()
    with_markup = pdf[:15] + b"%" + head + b"\n" + pdf[15:]  # in a comment after the header
    assert refusal_code(write(tmp_path, "a.pdf", with_markup)) == "active_content"
    assert refusal_code(write(tmp_path, "b.pdf", head + b" %PDF-1.4")) == "active_content"


def test_it_ignores_a_pdf_header_after_the_first_1024_bytes(tmp_path):
    path = write(tmp_path, "x.pdf", b"\0" * 1024 + b"%PDF-1.4\n")
    assert refusal_code(path) == "unknown_type"


def test_it_treats_a_zip_carrying_a_pdf_header_as_a_zip(tmp_path):
    data = zip_bytes({"laporan.pdf": b"%PDF-1.7\n"}, zipfile.ZIP_STORED)
    assert b"%PDF-" in data[:1024]
    assert refusal_code(write(tmp_path, "a.pdf", data)) == "unknown_type"


def test_it_refuses_a_text_file_named_pdf(tmp_path):
    assert refusal_code(write(tmp_path, "x.pdf", b"hello")) == "unknown_type"


def test_it_recognises_images_by_magic_whatever_the_name(tmp_path):
    png = (FIXTURES_DIR / "good.png").read_bytes()
    jpeg = (FIXTURES_DIR / "good.jpeg").read_bytes()
    assert sniff(write(tmp_path, "foto.pdf", png)) == Sniffed("png", "image/png")
    assert sniff(write(tmp_path, "foto.png", jpeg)) == Sniffed("jpeg", "image/jpeg")


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    payload = major + b"\0\0\0\0" + b"".join(compatible)
    return struct.pack(">I", len(payload) + 8) + b"ftyp" + payload + bytes(32)


@pytest.mark.parametrize(
    "data",
    [
        ftyp(b"isom", b"isom", b"avc1"),
        ftyp(b"mp42", b"mp42", b"mp41"),
        ftyp(b"M4V ", b"M4V ", b"M4A "),
        ftyp(b"3gp5", b"3gp5"),
        ftyp(b"MSNV", b"MSNV"),
        ftyp(b"XYZ1", b"XYZ1", b"iso6"),  # unknown major brand, ISO compatible brand
    ],
)
def test_it_recognises_mp4_by_its_ftyp_brand(tmp_path, data):
    assert sniff(write(tmp_path, "video.bin", data)) == Sniffed("mp4", "video/mp4")


@pytest.mark.parametrize(
    "data",
    [
        ftyp(b"heic", b"mif1", b"heic", b"iso8"),  # an iPhone photo
        ftyp(b"avif", b"avif", b"mif1", b"iso8"),
        ftyp(b"qt  ", b"qt  "),  # QuickTime .mov
        ftyp(b"XYZ1", b"XYZ1"),
        b"\x00\x00\x00\x08ftypisom" + bytes(32),  # box too small for a brand list
        b"\x00\x10\x00\x00ftypisom" + bytes(32),  # box larger than the file
        b"\x00\x00\x00\x18moovisom" + bytes(32),
    ],
)
def test_it_refuses_other_iso_boxes_as_unknown(tmp_path, data):
    assert refusal_code(write(tmp_path, "video.mp4", data)) == "unknown_type"


# --- zip-based documents and zip safety --------------------------------------------------------


def test_it_tells_docx_from_xlsx_by_their_parts_not_their_names(tmp_path):
    docx_bytes = (FIXTURES_DIR / "good.docx").read_bytes()
    xlsx_bytes = (FIXTURES_DIR / "good.xlsx").read_bytes()
    assert sniff(write(tmp_path, "tabel.xlsx", docx_bytes)).kind == "docx"
    assert sniff(write(tmp_path, "surat.docx", xlsx_bytes)).kind == "xlsx"


def test_it_reads_the_odf_mimetype_entry(tmp_path):
    text = odf("application/vnd.oasis.opendocument.text", "<office:text/>")
    sheet = odf("application/vnd.oasis.opendocument.spreadsheet", "<office:spreadsheet/>")
    template = odf("application/vnd.oasis.opendocument.text-template", "<office:text/>")
    drawing = odf("application/vnd.oasis.opendocument.graphics", "<office:drawing/>")
    assert sniff(write(tmp_path, "a.zip", text)).kind == "odt"
    assert sniff(write(tmp_path, "b.zip", sheet)).kind == "ods"
    assert refusal_code(write(tmp_path, "c.odt", template)) == "unknown_type"
    assert refusal_code(write(tmp_path, "d.ods", drawing)) == "unknown_type"


def test_it_tells_an_odt_with_basic_code_from_one_with_an_empty_library_index(tmp_path):
    text = odf("application/vnd.oasis.opendocument.text", "<office:text/>")
    with zipfile.ZipFile(io.BytesIO(text)) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    index = {"Basic/script-lc.xml": b'<library:libraries xmlns:library="x"/>'}
    assert sniff(write(tmp_path, "a.odt", zip_bytes({**members, **index}))).kind == "odt"
    code = {**index, "Basic/Standard/Module1.xml": b"<script:module>Sub Main</script:module>"}
    assert refusal_code(write(tmp_path, "b.odt", zip_bytes({**members, **code}))) == "macros"


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


OOXML_TYPES = b'<Types><Override PartName="/word/document.xml"/></Types>'


def test_it_refuses_a_zip_with_more_than_10000_members(tmp_path):
    members = {"[Content_Types].xml": OOXML_TYPES, "word/document.xml": b"<w/>"}
    members |= {f"m/{i}": b"" for i in range(10_000)}
    path = write(tmp_path, "banyak.docx", zip_bytes(members, zipfile.ZIP_STORED))
    assert refusal_code(path) == "zip_bomb"


def test_it_refuses_a_huge_declared_member_count_before_parsing_the_zip(tmp_path):
    end_record = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 60_000, 60_000, 0, 0, 0)
    path = write(tmp_path, "palsu.docx", b"PK\x03\x04" + bytes(100) + end_record)
    assert refusal_code(path) == "zip_bomb"


def test_it_refuses_a_zip_that_unpacks_beyond_the_limit(tmp_path):
    path = write(tmp_path, "a.docx", good_docx())
    assert sniff(path).kind == "docx"
    assert refusal_code(path, limits=ZipLimits(max_unpacked_bytes=10_000)) == "zip_bomb"


def test_it_refuses_a_small_member_compressed_more_than_200_times(tmp_path):
    members = {"[Content_Types].xml": OOXML_TYPES, "word/document.xml": bytes(900_000)}
    assert refusal_code(write(tmp_path, "a.docx", zip_bytes(members))) == "zip_bomb"


def test_upload_and_extraction_share_one_definition_of_the_zip_limits(tmp_path, monkeypatch):
    path = write(tmp_path, "a.docx", good_docx())
    with packages.open_checked_zip(path) as zf:
        unpacked = sum(info.file_size for info in zf.infolist())
    assert sniff(path).kind == "docx"
    assert extract_text(path, "docx").status == "done"
    monkeypatch.setattr(packages, "ZIP_LIMITS", ZipLimits(max_unpacked_bytes=unpacked - 1))
    assert refusal_code(path) == "zip_bomb"
    result = extract_text(path, "docx")
    assert result.status == "failed" and "unpack" in result.error


def test_the_upload_limits_are_those_of_extraction():
    assert packages.ZIP_LIMITS.max_unpacked_bytes == 200_000_000
    assert packages.ZIP_LIMITS.max_members == 10_000
    assert packages.ZIP_LIMITS.max_ratio == 200


def test_it_refuses_a_large_member_compressed_more_than_200_times(tmp_path):
    members = {"[Content_Types].xml": OOXML_TYPES, "word/document.xml": bytes(2_000_000)}
    assert refusal_code(write(tmp_path, "a.docx", zip_bytes(members))) == "zip_bomb"


def test_it_refuses_macro_enabled_office_files(tmp_path):
    members = {
        "[Content_Types].xml": b'<Types><Default Extension="xml" ContentType="application/vnd.'
        b'ms-excel.sheet.macroEnabled.main+xml"/></Types>',
        "xl/workbook.xml": b"<workbook/>",
    }
    assert refusal_code(write(tmp_path, "a.xlsx", zip_bytes(members))) == "macros"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/vnd.ms-office.vbaProject",
        "application/vnd.ms-office.VBAPROJECT",
        "application/vnd.ms-word.vbaData+xml",
        "application/vnd.ms-office.activeX+xml",
        "application/vnd.ms-excel.macrosheet+xml",
        "application/vnd.ms-excel.sheet.macro&#x45;nabled.main+xml",
    ],
)
def test_it_refuses_any_macro_content_type_however_it_is_written(tmp_path, content_type):
    docx = zipfile.ZipFile(io.BytesIO(good_docx()))
    members = {info.filename: docx.read(info) for info in docx.infolist()}
    types = members["[Content_Types].xml"].replace(
        b"</Types>", f'<Default Extension="bin" ContentType="{content_type}"/></Types>'.encode()
    )
    path = write(tmp_path, "a.docx", zip_bytes({**members, "[Content_Types].xml": types}))
    assert refusal_code(path) == "macros"


def test_it_finds_the_main_part_its_relationships_declare_wherever_it_is(tmp_path):
    docx = zipfile.ZipFile(io.BytesIO(good_docx()))
    members = {info.filename: docx.read(info) for info in docx.infolist()}
    renamed = {
        name.replace("word/document.xml", "word/utama.xml"): data.replace(
            b"/word/document.xml", b"/word/utama.xml"
        ).replace(b'Target="word/document.xml"', b'Target="word/utama.xml"')
        for name, data in members.items()
    }
    assert "word/document.xml" not in renamed
    assert sniff(write(tmp_path, "a.docx", zip_bytes(renamed))).kind == "docx"
    # Declared as a macro-enabled or binary workbook, it is not one of the accepted kinds.
    binary = renamed["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.binary.main+xml"
    )
    path = write(tmp_path, "b.docx", zip_bytes({**renamed, "[Content_Types].xml": binary}))
    assert refusal_code(path) == "unknown_type"


def test_it_refuses_a_truncated_zip_as_corrupt(tmp_path):
    data = (FIXTURES_DIR / "good.docx").read_bytes()
    assert refusal_code(write(tmp_path, "a.docx", data[: len(data) // 2])) == "corrupt_zip"


def test_it_refuses_a_zip_whose_marker_member_is_damaged(tmp_path):
    data = bytearray(
        zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"}, zipfile.ZIP_STORED)
    )
    data[data.find(b"application")] ^= 0xFF  # the CRC no longer matches
    assert refusal_code(write(tmp_path, "a.odt", bytes(data))) == "corrupt_zip"


def test_it_refuses_an_empty_zip_as_unknown(tmp_path):
    assert refusal_code(write(tmp_path, "a.xlsx", zip_bytes({}))) == "unknown_type"


# --- the API itself ---------------------------------------------------------------------------


def test_it_reports_an_unreadable_path_as_a_refusal(tmp_path):
    assert refusal_code(tmp_path / "tidak-ada.pdf") == "unreadable"


def test_it_accepts_a_string_path():
    assert sniff(str(FIXTURES_DIR / "good.pdf")).kind == "pdf"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("laporan.hta", "pdf", "laporan.pdf"),
        ("laporan.bat", "pdf", "laporan.pdf"),
        ("laporan.pdf", "pdf", "laporan.pdf"),
        ("LAPORAN.PDF", "pdf", "LAPORAN.PDF"),
        ("laporan", "pdf", "laporan.pdf"),
        ("Laporan v1.2", "pdf", "Laporan v1.2.pdf"),
        ("Perwal No. 12 Tahun 2024", "pdf", "Perwal No. 12 Tahun 2024.pdf"),
        ("foto.jpeg", "jpeg", "foto.jpeg"),
        ("foto.JPG", "jpeg", "foto.JPG"),
        ("foto.png", "jpeg", "foto.jpg"),
        ("tabel.docx", "xlsx", "tabel.xlsx"),
        ("../../gambar.svg", "png", "gambar.png"),
        ("   ", "pdf", "berkas.pdf"),
        ("laporan.hta", "gif", "laporan.bin"),  # a kind no longer known: never runnable
    ],
)
def test_it_names_a_download_with_the_extension_of_its_sniffed_kind(name, kind, expected):
    assert download_name(name, kind) == expected


def test_it_returns_a_frozen_result_with_the_usual_extension():
    sniffed = sniff(FIXTURES_DIR / "good.jpeg")
    assert sniffed.extension == ".jpg"
    with pytest.raises(dataclasses.FrozenInstanceError):
        sniffed.kind = "pdf"


def test_it_refuses_with_a_stable_code_and_an_english_message():
    with pytest.raises(Refused) as caught:
        sniff(FIXTURES_DIR / "exe_renamed.pdf")
    assert isinstance(caught.value, Exception)
    assert caught.value.code == "executable"
    assert str(caught.value) == caught.value.message
    assert "program" in caught.value.message


# --- safe_filename ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("C:\\Windows\\evil.pdf", "evil.pdf"),
        ("C:evil.pdf", "C_evil.pdf"),
        ("/var/www/../../laporan.pdf", "laporan.pdf"),
        ("  .hidden.pdf", "hidden.pdf"),
        ("...pdf", "berkas.pdf"),
        (".pdf", "berkas.pdf"),
        ("..", "berkas"),
        (".", "berkas"),
        ("", "berkas"),
        ("   ", "berkas"),
        ("<>:|?*", "berkas"),
        ('???"*.pdf', "berkas.pdf"),
        ("lap\x00oran.pdf", "laporan.pdf"),
        ("lap\x07or\x01an\x7f.pdf", "laporan.pdf"),
        ("laporan\nakhir\t2024.pdf", "laporan akhir 2024.pdf"),
        ("foto\u202egnp.exe", "fotognp.exe"),  # right-to-left override trick
        ("Laporan  Akhir   2024 .PDF", "Laporan Akhir 2024.PDF"),
        ("laporan.pdf.", "laporan.pdf"),
        ("a<b>c|d?.docx", "a_b_c_d_.docx"),
        ("CON.pdf", "_CON.pdf"),
        ("nul", "_nul"),
        ("Perwal No. 12 Tahun 2024.pdf", "Perwal No. 12 Tahun 2024.pdf"),
        ("Notulen Rapat SPBE (final).docx", "Notulen Rapat SPBE (final).docx"),
        ("e\u0301vidensi.pdf", "\u00e9vidensi.pdf"),  # NFC
        ("報告書.pdf", "報告書.pdf"),
    ],
)
def test_it_makes_file_names_safe(name, expected):
    assert safe_filename(name) == expected


def test_it_shortens_very_long_names_keeping_the_extension():
    result = safe_filename("a" * 1000 + ".pdf")
    assert result == "a" * 146 + ".pdf"
    assert len(safe_filename("b" * 1000 + ".xlsx", max_length=40)) == 40


def test_it_keeps_long_multibyte_names_within_255_bytes():
    result = safe_filename("日本語" * 100 + ".docx")
    assert result.endswith(".docx")
    assert len(result.encode("utf-8")) <= 255


def test_it_drops_an_implausible_extension_when_shortening():
    result = safe_filename("laporan." + "x" * 500)
    assert len(result) == 150
    assert result.startswith("laporan.")


def test_it_never_raises_on_odd_input():
    assert safe_filename(None) == "None"  # type: ignore[arg-type]
    assert safe_filename(b"../laporan.pdf") == "laporan.pdf"  # type: ignore[arg-type]
    assert safe_filename("laporan.pdf", max_length=0) == "l"
    assert safe_filename("\ud800.pdf") == "berkas.pdf"  # a lone surrogate


@given(st.text(max_size=400), st.integers(min_value=1, max_value=300))
def test_it_always_returns_a_safe_name(name, max_length):
    result = safe_filename(name, max_length=max_length)
    assert result
    assert len(result) <= max(max_length, len("berkas"))
    assert len(result.encode("utf-8")) <= 255
    assert not result.startswith((".", " "))
    assert not result.endswith((".", " "))
    assert not set(result) & set('<>:"/\\|?*')
    assert all(unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Zl", "Zp"} for ch in result)
    assert result == unicodedata.normalize("NFC", result)
    assert result not in {".", ".."}
