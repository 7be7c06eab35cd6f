"""The parser layer: .xlsx and CSV by content, headers found, decimal commas, limits."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest
from import_support import csv_file, xlsx

from monev.imports.parsing import (
    Unreadable,
    find_header,
    parse_decimal,
    read_table,
)

OOXML = "application/vnd.openxmlformats-officedocument"
LEVEL_COLUMNS = {
    "indicator": ("No. Indikator", "Indikator", "No"),
    "level": ("Tingkat Mandiri", "Tingkat"),
}


def test_it_reads_a_csv_with_bom_crlf_and_semicolons(tmp_path):
    path = csv_file(
        tmp_path / "a.csv",
        [["Indikator", "Tingkat", "Penjelasan"], ["1", "2,50", "Satu; dua"]],
        delimiter=";",
        bom=True,
        newline="\r\n",
    )
    [sheet] = read_table(path)
    assert sheet.rows == [["Indikator", "Tingkat", "Penjelasan"], ["1", "2,50", "Satu; dua"]]


def test_it_reads_a_comma_csv_in_the_windows_code_page(tmp_path):
    path = csv_file(
        tmp_path / "a.csv",
        [["Indikator", "Penjelasan"], ["1", "Kebijakan tata kelola – café"]],
        encoding="cp1252",
    )
    [sheet] = read_table(path)
    assert sheet.rows[1] == ["1", "Kebijakan tata kelola – café"]


def test_it_reads_every_sheet_of_a_workbook_with_numbers_as_written(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        {"Satu": [["No. Indikator", "Tingkat Mandiri"], ["35.1", 3], [1, 2.5]], "Dua": [["x"]]},
    )
    first, second = read_table(path)
    assert first.name == "Satu" and first.rows[1:] == [["35.1", "3"], ["1", "2.5"]]
    assert second.rows == [["x"]]


def test_it_finds_the_header_below_a_title_and_prefers_the_specific_column(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        {"S": [["Penilaian Mandiri 2024"], [], ["No.", "No. Indikator", "Tingkat Mandiri"]]},
    )
    [sheet] = read_table(path)
    header = find_header(sheet, LEVEL_COLUMNS, ("indicator", "level"))
    assert header.row_number == 3
    assert header.columns == {"indicator": 1, "level": 2}


def test_it_accepts_headers_in_any_case():
    from monev.imports.parsing import Sheet

    sheet = Sheet("CSV", [["INDICATOR", "level"]])
    header = find_header(
        sheet,
        {"indicator": ("Indikator", "indicator"), "level": ("Tingkat", "level")},
        ("indicator", "level"),
    )
    assert header.columns == {"indicator": 0, "level": 1}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", Decimal("3")),
        ("2,50", Decimal("2.50")),
        ("2.5", Decimal("2.5")),
        (" 4 ", Decimal("4")),
    ],
)
def test_it_reads_numbers_with_a_decimal_comma(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["tiga", "1.234,5", "1,2,3", "NaN", "inf", "3x"])
def test_it_refuses_what_is_not_a_number(text):
    assert parse_decimal(text) is None


@pytest.mark.parametrize("text", ["\u0663", "\uff13", "2,\u0665", "\u09e9.5"])
def test_it_takes_only_ascii_digits(text):
    # Arabic-Indic, fullwidth and Bengali digits: Python's Decimal would read them as numbers.
    assert parse_decimal(text) is None


def _code(path) -> str:
    with pytest.raises(Unreadable) as refused:
        read_table(path)
    return refused.value.code


def test_it_refuses_an_empty_file(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    assert _code(path) == "empty"


def test_it_refuses_a_file_with_only_blank_lines(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"\r\n;;\r\n")
    assert _code(path) == "empty"


def test_it_refuses_a_renamed_image(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    assert _code(path) == "wrong_type"


def test_it_refuses_renamed_binary_noise(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(bytes(range(256)) * 20)
    assert _code(path) == "binary"


def test_it_refuses_a_program(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x7fELF" + b"\x00" * 100)
    assert _code(path) == "executable"


def test_it_refuses_an_old_excel_file_with_advice(tmp_path):
    path = tmp_path / "data.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert _code(path) == "legacy_xls"


def test_it_refuses_a_damaged_workbook(tmp_path):
    path = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            f'<Types><Override ContentType="{OOXML}.spreadsheetml.sheet.main+xml"/></Types>',
        )
        zf.writestr("xl/workbook.xml", "<not-closed")
    assert _code(path) == "corrupt"


def test_it_refuses_a_word_document_renamed_to_xlsx(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            f'<Types><Override ContentType="{OOXML}.wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr("word/document.xml", "<w:document/>")
    assert _code(path) == "wrong_type"


def test_it_refuses_more_rows_than_the_limit(tmp_path):
    path = csv_file(tmp_path / "besar.csv", [["Indikator", "Tingkat"]] + [["1", "3"]] * 10_050)
    with pytest.raises(Unreadable) as refused:
        read_table(path)
    assert refused.value.code == "too_many_rows"


def test_it_refuses_a_file_over_the_size_limit(tmp_path):
    path = tmp_path / "besar.csv"
    path.write_bytes(b"Indikator,Penjelasan\n" + (b"1," + b"a" * 1000 + b"\n") * 5300)
    assert _code(path) == "too_large"
