"""A template workbook per kind of import: the right sheets and headers, an example row, and a
sheet explaining the columns."""

from __future__ import annotations

import io
import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

from monev.imports.kinds.base import ImportKind
from monev.lib.downloads import bytes_download
from monev.lib.spreadsheets import keep_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {
    "levels": "templat-tingkat-penjelasan.xlsx",
    "assignment": "templat-matriks-unit.xlsx",
    "people": "templat-unit-pengguna.xlsx",
    "published": "templat-hasil-terbit.xlsx",
    "institutions": "templat-instansi.xlsx",
    "periods": "templat-periode.xlsx",
    "assessor-assignments": "templat-penugasan-asesor.xlsx",
    "tauval": "contoh-tauval.json",
}
JSON = "application/json"


def template_extension(kind: ImportKind) -> str:
    return "json" if kind.file_format == "json" else "xlsx"


def template_response(kind: ImportKind) -> HttpResponse:
    """The template as a download (the page and the API): a workbook, or for a JSON kind an
    example file."""
    filename = TEMPLATE_NAMES.get(kind.name, f"templat-{kind.name}.{template_extension(kind)}")
    if kind.file_format == "json":
        body = json.dumps(kind.example(), ensure_ascii=False, indent=2) + "\n"
        return bytes_download(body.encode("utf-8"), filename, f"{JSON}; charset=utf-8")
    return bytes_download(template_workbook(kind), filename, XLSX)


def template_workbook(kind: ImportKind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, examples in kind.template_sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for example in examples:
            sheet.append(example)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(14, len(header) + 4)
    notes = workbook.create_sheet(_("Instructions"))
    notes.column_dimensions["A"].width = 100
    notes.append([str(kind.title)])
    notes["A1"].font = Font(bold=True)
    notes.append([str(kind.description)])
    notes.append([_("Replace the example rows with your data; keep the header row.")])
    notes.append([_("The import shows a preview of every change and every rejected row first.")])
    for sheet in workbook.worksheets:  # text stays text, as in every workbook (issue 14)
        for row in sheet.iter_rows():
            for cell in row:
                keep_text(cell)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
