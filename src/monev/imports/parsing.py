"""Reading an uploaded table: .xlsx (openpyxl, read-only) or CSV, decided by the file's content.

Pure Python (no Django). Every cell becomes a stripped string ("" when empty) so the parsed rows
can be kept as JSON between the preview and the apply; numbers keep their written form ("35.1",
"3"), and a decimal comma ("2,50") is understood by `parse_decimal`.

    read_table(path) -> list[Sheet]            or raises Unreadable(code, **params)
    find_header(sheet, columns) -> Header       or None
    read_json_records(path) -> list             or raises Unreadable(code, **params)
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from monev.evidence.sniff import Refused, ZipLimits, open_checked_zip, sniff

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000  # data rows over all sheets read
MAX_COLUMNS = 300
MAX_CELL_CHARS = 20_000
HEADER_SEARCH_ROWS = 10
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to more


class Unreadable(Exception):
    """The file cannot be imported at all. `code` is stable; the Django layer words it."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]  # rows[0] is the file's row 1

    def to_json(self) -> dict:
        return {"name": self.name, "rows": self.rows}

    @classmethod
    def from_json(cls, data: dict) -> Sheet:
        return cls(name=data["name"], rows=data["rows"])


@dataclass
class Header:
    """Where a table's header is and which column holds each wanted field."""

    row_index: int  # index into Sheet.rows
    columns: dict[str, int]  # field -> column index
    labels: dict[str, str] = field(default_factory=dict)  # field -> the header cell as written
    extra: dict[int, str] = field(default_factory=dict)  # other non-empty header cells

    @property
    def row_number(self) -> int:
        return self.row_index + 1


def read_table(path: str | os.PathLike[str], *, max_rows: int = MAX_ROWS) -> list[Sheet]:
    """The sheets of an .xlsx, or one sheet for a CSV. Refuses by content, never by name."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("empty")
    if size > MAX_BYTES:
        raise Unreadable("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    with path.open("rb") as fh:
        if fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise Unreadable("legacy_xls")  # Excel 97-2003 (.xls): not read, say how to save
    try:
        kind = sniff(path, max_unpacked_bytes=MAX_UNPACKED_BYTES).kind
    except Refused as refused:
        if refused.code != "unknown_type":
            raise Unreadable(refused.code) from None
        kind = "text"
    if kind == "xlsx":
        sheets = _read_xlsx(path, max_rows)
    elif kind == "text":
        sheets = [Sheet(name="CSV", rows=_read_csv(path.read_bytes(), max_rows))]
    else:
        raise Unreadable("wrong_type", found=kind)
    if not any(any(cell for cell in row) for sheet in sheets for row in sheet.rows):
        raise Unreadable("empty")
    return sheets


# --- xlsx ----------------------------------------------------------------------------------


def _read_xlsx(path: Path, max_rows: int) -> list[Sheet]:
    import openpyxl  # imported here: the CSV path and the pure commands do not need it

    # The zip was checked by sniff (size, ratio, entry count); open_checked_zip repeats it
    # cheaply so this function is safe to call on its own.
    try:
        open_checked_zip(path, ZipLimits(max_unpacked_bytes=MAX_UNPACKED_BYTES)).close()
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Refused as refused:
        raise Unreadable(refused.code) from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise Unreadable("corrupt", detail=str(exc)[:200]) from None
    except Exception as exc:  # openpyxl raises assorted errors on malformed XML
        raise Unreadable("corrupt", detail=type(exc).__name__) from None
    sheets: list[Sheet] = []
    total = 0
    try:
        for worksheet in workbook.worksheets:
            rows: list[list[str]] = []
            for values in worksheet.iter_rows(values_only=True):
                if len(values) > MAX_COLUMNS:
                    values = values[:MAX_COLUMNS]
                row = [_cell_text(value) for value in values]
                rows.append(row)
                if any(row):
                    total += 1
                    if total > max_rows + HEADER_SEARCH_ROWS * (len(sheets) + 1):
                        raise Unreadable("too_many_rows", limit=max_rows)
            sheets.append(Sheet(name=str(worksheet.title), rows=_trimmed(rows)))
    except Unreadable:
        raise
    except Exception as exc:
        raise Unreadable("corrupt", detail=type(exc).__name__) from None
    finally:
        workbook.close()
    return sheets


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)  # the shortest text that reads back as the same float: 35.1, 2.5
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").strip()
    return text[:MAX_CELL_CHARS]


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Without trailing empty cells and trailing empty rows (read-only sheets pad both)."""
    out = []
    for row in rows:
        end = len(row)
        while end and not row[end - 1]:
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


# --- csv -----------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if b"\x00" in data[:65536] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Unreadable("binary")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise Unreadable("encoding") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Spreadsheets on Windows save "CSV" in the ANSI code page; cp1252 covers Indonesian text.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise Unreadable("encoding") from None
    if sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t") > 4:
        raise Unreadable("binary")
    return text


def _delimiter(text: str) -> str:
    """`;` (Excel in Indonesian locales), `,` or tab: whichever splits the first lines the same
    way and most often."""
    sample_lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", -1
    for candidate in (";", ",", "\t"):
        counts = [
            len(row)
            for row in csv.reader(io.StringIO("\n".join(sample_lines)), delimiter=candidate)
        ]
        if not counts or max(counts) < 2:
            continue
        header_count = counts[0]
        score = sum(1 for count in counts if count == header_count) * header_count
        if score > best_score:
            best, best_score = candidate, score
    return best


def _read_csv(data: bytes, max_rows: int) -> list[list[str]]:
    text = _decode(data)
    delimiter = _delimiter(text)
    rows: list[list[str]] = []
    total = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            row = [_cell_text(cell) for cell in record[:MAX_COLUMNS]]
            rows.append(row)
            if any(row):
                total += 1
                if total > max_rows + HEADER_SEARCH_ROWS:
                    raise Unreadable("too_many_rows", limit=max_rows)
    except csv.Error as exc:
        raise Unreadable("corrupt", detail=str(exc)[:200]) from None
    return _trimmed(rows)


# --- json ----------------------------------------------------------------------------------

MAX_JSON_KEYS_SHOWN = 8


class JsonObject(dict):
    """A JSON object that remembers the keys it held more than once (json keeps the last
    silently: a second "indeks" in a record must not pass unseen)."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, object]]) -> JsonObject:
    result = JsonObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated: list[str] = []
        for key, _value in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        result.duplicates = tuple(repeated)
    return result


def _decode_json(data: bytes) -> str:
    encoding = "utf-8"
    for bom, with_bom in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            encoding = with_bom
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise Unreadable("json_not_text") from None
    if "\x00" in text:
        raise Unreadable("json_not_text")
    return text


def read_json_records(path: str | os.PathLike[str], *, max_records: int = MAX_ROWS) -> list:
    """The records of a JSON file whose top level is a list. Numbers are kept as the text
    they were written in (a value such as 2.6666666667 must not pass through a float), objects
    are JsonObjects. An object at the top level is refused, naming its keys: a wrapped export
    is not guessed at."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("empty")
    if size > MAX_BYTES:
        raise Unreadable("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    text = _decode_json(path.read_bytes())
    if not text.strip():
        raise Unreadable("empty")
    try:
        value = json.loads(
            text,
            parse_float=str,
            parse_int=str,
            parse_constant=str,  # NaN, Infinity: text, refused by the record checks
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as error:
        raise Unreadable("json_invalid_at", line=error.lineno, column=error.colno) from None
    except (RecursionError, ValueError):  # nesting deeper than the parser's stack
        raise Unreadable("json_invalid") from None
    if isinstance(value, dict):
        keys = list(value)[:MAX_JSON_KEYS_SHOWN]
        shown = ", ".join(f"“{key[:40]}”" for key in keys)
        if len(value) > MAX_JSON_KEYS_SHOWN:
            shown += ", …"
        raise Unreadable("json_object", keys=shown or "-")
    if not isinstance(value, list):
        raise Unreadable("json_not_list")
    if not value:
        raise Unreadable("json_no_records")
    if len(value) > max_records:
        raise Unreadable("too_many_records", limit=max_records)
    return value


# --- headers and values --------------------------------------------------------------------


def normalise(text: str) -> str:
    """A header cell compared loosely: case, spaces, dots and the like do not matter."""
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


def find_header(
    sheet: Sheet,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    any_of: tuple[str, ...] = (),
) -> Header | None:
    """The first row (of the first ten) holding a header cell for every required field (and
    for one of `any_of`, when given). `columns` maps a field to the header texts accepted for
    it, most specific first."""
    wanted = {name: [normalise(alias) for alias in aliases] for name, aliases in columns.items()}
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        cells = {position: normalise(cell) for position, cell in enumerate(row) if cell}
        found: dict[str, int] = {}
        taken: set[int] = set()
        # Most specific alias first over all fields, so "No. Indikator" wins over "No".
        for rank in range(max((len(a) for a in wanted.values()), default=0)):
            for name, aliases in wanted.items():
                if name in found or rank >= len(aliases):
                    continue
                for position, text in cells.items():
                    if position not in taken and text == aliases[rank]:
                        found[name] = position
                        taken.add(position)
                        break
        if all(name in found for name in required) and (
            not any_of or any(name in found for name in any_of)
        ):
            labels = {name: row[position] for name, position in found.items()}
            extra = {p: row[p] for p in cells if p not in taken}
            return Header(row_index=index, columns=found, labels=labels, extra=extra)
    return None


def cell(row: list[str], position: int | None) -> str:
    if position is None or position >= len(row):
        return ""
    return row[position]


def parse_decimal(text: str) -> Decimal | None:
    """A number as people write it: "3", "2.5", "2,50" (decimal comma); None if it is not one."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        if "." in text or text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):  # ASCII digits only
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_int(text: str) -> int | None:
    value = parse_decimal(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)
