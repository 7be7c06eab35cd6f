"""extract_text(): text from sniffed evidence files; hostile files end as "failed", never raise."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from make_fixtures import (
    DOCX_PHRASE,
    DOCX_TABLE_PHRASE,
    FIXTURES,
    FIXTURES_DIR,
    ODS_PHRASE,
    ODS_SHEET,
    ODT_PHRASE,
    PDF_PHRASE,
    PDF_PHRASE_PAGE2,
    XLSX_PHRASE,
    XLSX_SHEET,
    odf,
)

from monev.evidence.text_extraction import STATUSES, Extraction, extract_text

KIND_BY_SUFFIX = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".odt": "odt",
    ".ods": "ods",
    ".png": "png",
    ".jpeg": "jpeg",
    ".mp4": "mp4",
}


def extract(name: str, **kwargs) -> Extraction:
    return extract_text(FIXTURES_DIR / name, KIND_BY_SUFFIX[Path(name).suffix], **kwargs)


# --- good files --------------------------------------------------------------------------------


def test_it_extracts_the_text_layer_of_a_pdf_page_by_page():
    result = extract("good.pdf")
    assert result.status == "done"
    assert result.pages == 2
    assert result.error == ""
    assert PDF_PHRASE in result.text
    assert result.text.index(PDF_PHRASE) < result.text.index(PDF_PHRASE_PAGE2)


def test_it_marks_a_scanned_pdf_as_having_no_text_layer():
    result = extract("scan.pdf")
    assert result == Extraction(status="no_text_layer", text="", pages=1, error="")


def test_it_extracts_docx_paragraphs_and_table_cells_in_order():
    result = extract("good.docx")
    assert result.status == "done"
    assert result.pages is None
    text = result.text
    assert DOCX_PHRASE in text
    assert f"{DOCX_TABLE_PHRASE}\tSekretariat tim" in text
    assert text.index(DOCX_PHRASE) < text.index(DOCX_TABLE_PHRASE) < text.index("Ditetapkan")


def test_it_extracts_xlsx_sheet_names_and_cells_row_by_row():
    result = extract("good.xlsx")
    assert result.status == "done"
    lines = result.text.splitlines()
    assert lines[0] == XLSX_SHEET
    assert f"1\t{XLSX_PHRASE}\tBKPSDM\t3120" in lines
    assert "Catatan" in lines
    assert "Data per 31 Desember 2024" in lines


def test_it_extracts_odt_paragraphs_with_their_spaces_and_tabs():
    result = extract("good.odt")
    assert result.status == "done"
    lines = result.text.splitlines()
    assert lines[0] == ODT_PHRASE
    assert "Hadir: Kepala  Dinas\tSekretaris" in lines
    assert "Keputusan: dokumen arsitektur disahkan." in lines


def test_it_extracts_ods_rows_without_expanding_repeated_empty_cells():
    result = extract("good.ods")
    assert result.status == "done"
    assert result.text.splitlines() == [ODS_SHEET, "No\tNama layanan", f"1\t{ODS_PHRASE}"]


GOOD = sorted(name for name, expected in FIXTURES.items() if expected[0] == "ok")


@pytest.mark.parametrize("name", GOOD)
def test_it_extracts_every_kind_from_a_path_without_an_extension(tmp_path, name):
    # Storage keeps a file under its SHA-256 (evidence/ab/cd/<sha256>), with no extension.
    data = (FIXTURES_DIR / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    path = tmp_path / "evidence" / digest[:2] / digest[2:4] / digest
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    assert extract_text(path, FIXTURES[name][1]) == extract(name)
    unreadable = {"broken_xref.pdf", "nested.pdf", "encrypted.pdf"}
    assert (extract(name).status == "failed") == (name in unreadable)


@pytest.mark.parametrize("name", ["good.png", "good.jpeg", "good.mp4"])
def test_it_does_not_apply_to_images_and_video(name):
    assert extract(name) == Extraction(status="not_applicable", text="", pages=None, error="")


# --- bad files: contained, never raised ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_it_never_raises_on_any_fixture(name):
    result = extract(name)
    assert result.status in STATUSES
    assert (result.status == "failed") == bool(result.error)


@pytest.mark.parametrize("name", ["broken_xref.pdf", "nested.pdf"])
def test_it_contains_a_pdf_that_breaks_the_parser(name):
    result = extract(name)
    assert result.status == "failed"
    assert result.text == ""
    assert result.error


def test_it_fails_clearly_on_a_password_protected_pdf():
    result = extract("encrypted.pdf")
    assert result.status == "failed"
    assert "password" in result.error


def test_it_contains_the_zip_bomb_when_called_directly():
    started = time.monotonic()
    result = extract("bomb.docx")
    assert result.status == "failed"
    assert "compressed" in result.error
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("exe_renamed.pdf", "pdf"),
        ("elf_renamed.docx", "docx"),
        ("empty.pdf", "pdf"),
        ("random_zip.xlsx", "xlsx"),
        ("random_zip.xlsx", "ods"),
        ("corrupt_zip.xlsx", "xlsx"),
        ("encrypted_zip.docx", "docx"),
        ("good.docx", "xlsx"),
        ("good.pdf", "docx"),
    ],
)
def test_it_fails_on_a_file_that_is_not_of_the_given_kind(name, kind):
    result = extract_text(FIXTURES_DIR / name, kind)
    assert result.status == "failed"
    assert result.error


def test_it_fails_on_an_unknown_kind():
    result = extract_text(FIXTURES_DIR / "good.pdf", "exe")
    assert result.status == "failed"
    assert "exe" in result.error


def test_it_fails_on_a_missing_file(tmp_path):
    result = extract_text(tmp_path / "hilang.pdf", "pdf")
    assert result.status == "failed"


def test_it_contains_recursion_and_memory_errors(monkeypatch):
    import docx
    import pypdf

    def overflow(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    def exhaust(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(pypdf, "PdfReader", overflow)
    monkeypatch.setattr(docx, "Document", exhaust)
    pdf = extract("good.pdf")
    assert pdf.status == "failed"
    assert "nested too deeply" in pdf.error
    word = extract("good.docx")
    assert word.status == "failed"
    assert "memory" in word.error


def test_it_keeps_the_other_pages_when_one_page_fails(monkeypatch):
    from pypdf import PageObject

    original = PageObject.extract_text
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("bad content stream")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", flaky)
    result = extract("good.pdf")
    assert result.status == "done"
    assert PDF_PHRASE_PAGE2 in result.text
    assert PDF_PHRASE not in result.text


# --- limits --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["good.pdf", "good.docx", "good.xlsx", "good.odt", "good.ods"])
def test_it_caps_the_text_at_max_chars(name):
    result = extract(name, max_chars=20)
    assert result.status == "done"
    assert len(result.text) == 20


@pytest.mark.parametrize("name", ["good.docx", "good.xlsx", "good.odt", "good.ods"])
def test_it_refuses_to_unpack_beyond_max_unpacked_bytes(name):
    result = extract(name, max_unpacked_bytes=100)
    assert result.status == "failed"
    assert "unpack" in result.error


def write_odt(tmp_path: Path, content_xml: bytes, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content_xml, compression)
    path = tmp_path / "x.odt"
    path.write_bytes(out.getvalue())
    return path


NS = (
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def odt_content(doctype: bytes, paragraph: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?>\n'
        + doctype
        + b"<office:document-content "
        + NS
        + b"><office:body><office:text><text:p>"
        + paragraph
        + b"</text:p></office:text></office:body></office:document-content>"
    )


def test_it_contains_a_billion_laughs_in_odf_content(tmp_path):
    laughs = b"".join(
        b'<!ENTITY lol%d "&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;">'
        % ((i,) + (i - 1,) * 10)
        for i in range(1, 10)
    )
    doctype = b'<!DOCTYPE office:document-content [<!ENTITY lol0 "lol">' + laughs + b"]>"
    started = time.monotonic()
    result = extract_text(write_odt(tmp_path, odt_content(doctype, b"awal &lol9; akhir")), "odt")
    assert time.monotonic() - started < 2
    assert result.status in {"done", "failed"}  # libxml2 may refuse the amplification outright
    assert "lollol" not in result.text


def test_it_does_not_fetch_external_entities_in_odf_content(tmp_path):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("kata sandi admin")
    doctype = b'<!DOCTYPE office:document-content [<!ENTITY r SYSTEM "%s">]>' % (
        secret.as_uri().encode()
    )
    result = extract_text(write_odt(tmp_path, odt_content(doctype, b"awal &r; akhir")), "odt")
    assert result.status == "done"
    assert "awal" in result.text
    assert "kata sandi" not in result.text


def test_it_contains_deeply_nested_odf_content(tmp_path):
    depth = 100_000
    content = (
        b"<office:document-content "
        + NS
        + b"><office:body><office:text><text:p>"
        + b"<text:span>" * depth
        + b"dalam"
        + b"</text:span>" * depth
        + b"</text:p></office:text></office:body></office:document-content>"
    )
    # Stored, not deflated: the parser, not the compression-ratio check, must stop it.
    result = extract_text(write_odt(tmp_path, content, zipfile.ZIP_STORED), "odt")
    assert result.status == "failed"
    assert "compressed" not in result.error


def test_it_fails_on_an_odf_without_content(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    path = tmp_path / "kosong.odt"
    path.write_bytes(out.getvalue())
    result = extract_text(path, "odt")
    assert result.status == "failed"
    assert "content.xml" in result.error


def test_it_keeps_nested_odt_tables_and_their_rows(tmp_path):
    body = (
        '<office:text xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
        '<table:table table:name="Tabel1"><table:table-row>'
        "<table:table-cell><text:p>luar</text:p>"
        '<table:table table:name="Tabel2"><table:table-row>'
        "<table:table-cell><text:p>dalam</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        "</table:table-cell>"
        "<table:table-cell><text:p>kanan</text:p></table:table-cell>"
        "</table:table-row></table:table></office:text>"
    )
    path = tmp_path / "tabel.odt"
    path.write_bytes(odf("application/vnd.oasis.opendocument.text", body))
    result = extract_text(path, "odt")
    assert result.status == "done"
    assert result.text.splitlines() == ["Tabel1", "Tabel2", "dalam", "luar\tkanan"]


def test_it_ignores_a_hostile_xlsx_dimension(tmp_path):
    source = FIXTURES_DIR / "good.xlsx"
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
                empty_rows = b"".join(b'<row r="%d"/>' % r for r in range(4, 60_004))
                data = data.replace(b"</sheetData>", empty_rows + b"</sheetData>")
                assert b"XFD1048576" in data
                assert b'<row r="60003"/>' in data
            zout.writestr(info, data)
    path = tmp_path / "besar.xlsx"
    path.write_bytes(out.getvalue())
    started = time.monotonic()
    result = extract_text(path, "xlsx")
    assert time.monotonic() - started < 3
    assert result.status == "done"
    assert XLSX_PHRASE in result.text


def test_it_returns_a_frozen_result():
    result = extract("good.pdf")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "failed"
