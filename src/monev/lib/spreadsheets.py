"""Text that a spreadsheet must show as typed, never run: one rule for every workbook and CSV the
project writes (formula injection: a penjelasan "=HYPERLINK(...)" planted for whoever exports)."""

from __future__ import annotations

# What a spreadsheet takes for the start of a formula when it is typed into a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text a spreadsheet reads as an error value (openpyxl.cell.cell.ERROR_CODES, written out so
# that the CSV writers need not import openpyxl).
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read `text`, typed into a cell, as a formula or an error
    value rather than as text."""
    return text.startswith(FORMULA_START) or text in ERROR_CODES


def keep_text(cell) -> None:
    """Make an openpyxl cell holding a str a text cell, shown exactly as typed. openpyxl
    otherwise writes a str that starts with "=" as a formula and "#N/A" and the like as error
    values. Formula-like text also gets Excel's quotePrefix, the cell format of a value typed
    with a leading apostrophe: the apostrophe is not part of the value (nor shown in the cell),
    and a user who edits the cell and presses Enter still has text, not a formula. Works on the
    cells of write-only and of ordinary worksheets."""
    value = cell.value
    if not isinstance(value, str):
        return
    cell.data_type = "s"
    if formula_like(value):
        cell.quotePrefix = True


def csv_safe(value: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula: CSV has no cell types,
    so a leading apostrophe is the convention Excel and LibreOffice honour."""
    return "'" + value if value.startswith(FORMULA_START) else value
