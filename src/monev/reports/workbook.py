"""Formatted Excel workbooks, the same way for every export: a bold, filled header row that
stays in view (frozen) and repeats on every printed page, column widths, number formats
("0.00" for levels and indices), an autofilter, the workbook's title and creator, and a last
sheet "Keterangan" that explains every column of every sheet.

Written in openpyxl's write-only mode: rows stream into the file, so the national recap
(29,000 rows) stays fast and small in memory. Only the cells that need a style (the header,
numbers, wrapped text, dates) are styled cells; the rest are plain values.

Headers and explanations are in Bahasa Indonesia whatever the UI language: the workbooks
follow the ministry's application, and the importer reads the headers back.

Text is always written as text (`keep_text`): a penjelasan, an evidence title or a unit's name
that starts like a formula ("=HYPERLINK(...)", "+1", "-1", "@A1") or reads as an error value
("#N/A") stays the text that was typed, never a formula a spreadsheet would run (issue 14).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from monev.lib.spreadsheets import FORMULA_START, formula_like, keep_text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREATOR = "Monev SPBE"
LEVEL_FORMAT = "0.00"  # indices, aspects, weights: always two decimals
# An indicator's level as people write it: 4 for a whole level, 1.17 for partial credit (the
# cell's format follows its value; see Book._cell).
INDICATOR_LEVEL = "indicator level"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
INTEGER_FORMAT = "0"
LEGEND_SHEET = "Keterangan"
PROVISIONAL_NOTE = (
    "INSTRUMEN SEMENTARA: bobot, pita predikat, dan kriteria instrumen ini disusun dari sumber "
    "turunan dan belum dipastikan terhadap naskah peraturan; angka dalam berkas ini dapat berubah."
)
SHEET_NAME_LIMIT = 31  # Excel's limit
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({ch: " " for ch in "[]:*?/\\"})

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    explanation: str
    number_format: str | None = None  # LEVEL_FORMAT, DATE_FORMAT, ...
    wrap: bool = False  # long text: wrapped, top-aligned

    @property
    def styled(self) -> bool:
        return self.number_format is not None or self.wrap


def level_column(header: str, explanation: str, width: float = 11) -> Column:
    return Column(header, width, explanation, LEVEL_FORMAT)


def indicator_level_column(header: str, explanation: str, width: float = 11) -> Column:
    return Column(header, width, explanation, INDICATOR_LEVEL)


def _number_format(column: Column, value) -> str:
    if column.number_format != INDICATOR_LEVEL:
        return column.number_format
    whole = isinstance(value, int | Decimal) and value == int(value)
    return INTEGER_FORMAT if whole else LEVEL_FORMAT


def local_datetime(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: the local time, without one."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def sheet_name(wanted: str, taken: Iterable[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters, not blank, not taken
    (case-insensitively, as Excel compares them); " (2)", " (3)" ... where needed."""
    base = " ".join(wanted.translate(FORBIDDEN_IN_SHEET_NAMES).split()).strip("'") or "Lembar"
    taken_lower = {name.lower() for name in taken}
    name = base[:SHEET_NAME_LIMIT]
    number = 2
    while name.lower() in taken_lower:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    return name


def _clean(text: str) -> str:
    """Without the control characters XML cannot hold (pasted text brings them along)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class Book:
    """One workbook being written: add sheets in order, then `to_bytes()`."""

    def __init__(
        self, title: str, *, subject: str = "", description: str = "", provisional: bool = False
    ) -> None:
        if provisional:  # pemdi-2026: the figures may change; say so where the file is named
            title = f"{title} (instrumen sementara)"
        self.workbook = Workbook(write_only=True)
        properties = self.workbook.properties
        properties.title = title
        properties.subject = subject
        properties.description = description
        properties.creator = CREATOR
        properties.lastModifiedBy = CREATOR
        self.title = title
        self.provisional = provisional
        self.legend: list[tuple[str, str, str]] = []  # (sheet, column, explanation)
        self.names: list[str] = []
        self.streamed: list[_StreamedRows] = []

    def name_for(self, wanted: str) -> str:
        return sheet_name(wanted, [*self.names, LEGEND_SHEET])

    def sheet(
        self,
        name: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence],
        *,
        about: str = "",
        freeze: str = "A2",
        print_header: str = "",
        explain_columns: bool = True,
        streamed: bool = False,
    ) -> str:
        """Add a sheet of `rows` under `columns`' headers; its name as written (made valid and
        unique). `about` says what the sheet is, first in its part of Keterangan;
        `print_header` is printed at the top of every page (e.g. the unit's name);
        `explain_columns=False` where an earlier sheet with the same columns explained them.
        `streamed=True` for very long sheets of text and numbers: see _StreamedRows."""
        name = self.name_for(name)
        self.names.append(name)
        sheet = self.workbook.create_sheet(name)
        self._layout(sheet, columns, freeze)
        if print_header:
            sheet.oddHeader.center.text = print_header.replace("&", "&&")
        rows = list(rows)
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        sheet.append([self._header(sheet, column.header) for column in columns])
        if streamed:
            self.streamed.append(_StreamedRows(len(self.workbook._sheets), sheet, columns, rows))
            rows = []
        for row in rows:
            sheet.append(self._row(sheet, row, columns))
        if about:
            self.legend.append((name, "", about))
        if explain_columns:
            self.legend.extend((name, column.header, column.explanation) for column in columns)
        return name

    @staticmethod
    def _layout(sheet, columns: Sequence[Column], freeze: str) -> None:
        """Widths, frozen header, and printing: landscape, as wide as the page, the header
        row on every page, page numbers at the foot."""
        for number, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = column.width
        sheet.freeze_panes = freeze
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.oddFooter.center.text = "&P / &N"

    @staticmethod
    def _header(sheet, text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, _clean(text))
        keep_text(cell)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        return cell

    @classmethod
    def _row(cls, sheet, row: Sequence, columns: Sequence[Column]) -> list:
        """A data row to append: plain values where they need nothing, else styled cells.
        Every row of every sheet, the Keterangan's included, goes through here, so no text
        becomes a formula."""
        cells = []
        for value, column in zip(row, columns, strict=True):
            if isinstance(value, str):
                value = _clean(value)
                if formula_like(value):
                    cells.append(cls._cell(sheet, value, column))
                    continue
            cells.append(cls._cell(sheet, value, column) if column.styled else value)
        return cells

    @staticmethod
    def _cell(sheet, value, column: Column):
        """A cell with the column's style (if it has one); text kept text (keep_text)."""
        if value is None or value == "":
            return None
        cell = WriteOnlyCell(sheet, value)
        keep_text(cell)
        if column.number_format:
            cell.number_format = _number_format(column, value)
        if column.styled:
            cell.alignment = WRAP if column.wrap else TOP
        return cell

    def _legend_sheet(self) -> None:
        columns = (
            Column("Lembar", 24, ""),
            Column("Kolom", 28, ""),
            Column("Keterangan", 100, "", wrap=True),
        )
        sheet = self.workbook.create_sheet(LEGEND_SHEET)
        self._layout(sheet, columns, "A2")
        sheet.append([self._header(sheet, column.header) for column in columns])
        made = local_datetime(timezone.now())
        lines = [("", "", f"{self.title}. Dibuat oleh {CREATOR} pada {made:%Y-%m-%d %H:%M}.")]
        if self.provisional:
            lines.append(("", "", PROVISIONAL_NOTE))
        for line in [*lines, *self.legend]:  # sheet names come from units' names: user text
            sheet.append(self._row(sheet, line, columns))

    def to_bytes(self) -> bytes:
        self._legend_sheet()
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        if self.streamed:
            return _with_streamed_rows(buffer.getvalue(), self.streamed)
        return buffer.getvalue()


# --- streamed rows ------------------------------------------------------------------------------
#
# openpyxl spends about 15 µs on every cell, even in write-only mode: the national recap's
# 29,000 x 9 cells took 4 s of the 3 s allowed. A streamed sheet is laid out by openpyxl as any
# other (widths, frozen header, autofilter, printing, the header row and the cell styles), and
# only its data rows are written here, as plain SpreadsheetML rows (numbers as numbers, text as
# inline strings - never formulas -, the column's style id, with quotePrefix for formula-like
# text as keep_text gives it), into the saved file's <sheetData>.


class _StreamedRows:
    def __init__(self, number: int, sheet, columns: Sequence[Column], rows: list) -> None:
        self.path = f"xl/worksheets/sheet{number}.xml"  # openpyxl's naming, in sheet order
        self.columns = columns
        self.rows = rows
        # The style of each styled column, and of its formula-like text, registered with the
        # workbook before it is saved.
        self.styles = []
        self.quoted_styles = []
        for column in columns:
            style = ""
            if column.styled:
                probe = Book._cell(sheet, 0, column)
                style = f' s="{probe.style_id}"'
            self.styles.append(style)
            quoted = Book._cell(sheet, FORMULA_START[0] * 2, column)
            self.quoted_styles.append(f' s="{quoted.style_id}"')

    def xml(self) -> str:
        letters = [get_column_letter(n) for n in range(1, len(self.columns) + 1)]
        parts = []
        for number, row in enumerate(self.rows, start=2):
            cells = []
            for letter, style, quoted, value in zip(
                letters, self.styles, self.quoted_styles, row, strict=True
            ):
                if value is None or value == "":
                    continue
                reference = f"{letter}{number}"
                if isinstance(value, str):
                    value = _clean(value)
                    if formula_like(value):
                        style = quoted
                    text = escape(value, {"\r": "&#13;"})
                    cells.append(
                        f'<c r="{reference}"{style} t="inlineStr"><is><t xml:space="preserve">'
                        f"{text}</t></is></c>"
                    )
                elif isinstance(value, bool):
                    cells.append(f'<c r="{reference}"{style} t="b"><v>{int(value)}</v></c>')
                elif isinstance(value, int | Decimal):
                    cells.append(f'<c r="{reference}"{style}><v>{value:f}</v></c>')
                else:
                    raise TypeError(f"a streamed sheet takes text and numbers, not {value!r}")
            parts.append(f'<row r="{number}">{"".join(cells)}</row>')
        return "".join(parts)


def _with_streamed_rows(content: bytes, streamed: list[_StreamedRows]) -> bytes:
    by_path = {s.path: s for s in streamed}
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            data = source.read(info)
            rows = by_path.get(info.filename)
            if rows is not None:
                text = data.decode("utf-8")
                if "</sheetData>" not in text:
                    raise ValueError(f"{info.filename} has no <sheetData> to fill")
                last = f"{get_column_letter(len(rows.columns))}{len(rows.rows) + 1}"
                text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{last}"/>', text)
                text = text.replace("</sheetData>", rows.xml() + "</sheetData>", 1)
                data = text.encode("utf-8")
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return buffer.getvalue()
