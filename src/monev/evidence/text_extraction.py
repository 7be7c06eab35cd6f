"""Text from an evidence file whose kind sniff() has already decided.

Pure Python (no Django), synchronous: the background worker calls it. It never raises: whatever a
hostile or broken file does to a parser (including RecursionError and MemoryError) ends as
``Extraction(status="failed", error=...)``.

    extract_text(path, kind) -> Extraction(status, text, pages, error)

status: "done"; "no_text_layer" (a PDF with pages but (almost) no text: a scan); "not_applicable"
(images, video); "failed". ``error`` is set only when the status is "failed". ``pages`` is the
page count of a PDF, None otherwise. The text is capped at ``max_chars``.

Zip-based files are checked before any parser sees them, with the limits the upload enforced
(packages.ZIP_LIMITS, one definition for both; ``max_unpacked_bytes`` lowers the total, for
tests); ODT/ODS content.xml is read through a size cap with an XML parser that expands no
entities, fetches nothing and refuses huge trees. Every parser gets an open file, never a path:
storage keeps files under their hash, without an extension, and openpyxl refuses a path whose
extension it does not know.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from monev.evidence.packages import ZipLimits, limits_or_default, open_checked_zip
from monev.evidence.refused import Refused

__all__ = ["Extraction", "extract_text"]

STATUSES = ("done", "no_text_layer", "not_applicable", "failed")

# A PDF is "without text layer" when its pages average fewer visible characters than this
# (a scanned page may still carry a stamped page number or a scanner's name).
MIN_CHARS_PER_PAGE = 10
MAX_ERROR_CHARS = 500

_NOT_APPLICABLE = frozenset({"png", "jpeg", "mp4"})


@dataclass(frozen=True)
class Extraction:
    status: str
    text: str = ""
    pages: int | None = None
    error: str = ""


class _Full(Exception):
    pass


class _Text:
    """Collects text up to a cap; ``add`` raises _Full once the cap is reached."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max(0, max_chars)
        self.parts: list[str] = []
        self.length = 0

    def add(self, line: str) -> None:
        if not line:
            return
        if self.parts:
            line = "\n" + line
        room = self.max_chars - self.length
        if len(line) >= room:
            self.parts.append(line[:room])
            self.length = self.max_chars
            raise _Full
        self.parts.append(line)
        self.length += len(line)

    def value(self) -> str:
        return "".join(self.parts)


def extract_text(
    path: str | os.PathLike[str],
    kind: str,
    *,
    max_chars: int = 2_000_000,
    max_unpacked_bytes: int | None = None,
) -> Extraction:
    """The text of the file at ``path`` (of the sniffed ``kind``); never raises."""
    if kind in _NOT_APPLICABLE:
        return Extraction(status="not_applicable")
    extractor = _EXTRACTORS.get(kind)
    if extractor is None:
        return _failed(f"No text extraction for files of kind {kind!r}.")
    text = _Text(max_chars)
    limits = limits_or_default(None)
    if max_unpacked_bytes is not None:
        limits = ZipLimits(max_unpacked_bytes, limits.max_members, limits.max_ratio)
    try:
        return extractor(Path(path), text, limits)
    except _Full:
        return Extraction(status="done", text=text.value())
    except Refused as refused:
        return _failed(refused.message)
    except RecursionError:
        return _failed("The file is nested too deeply to be read (parser recursion limit).")
    except MemoryError:
        return _failed("The file needs too much memory to be read.")
    except Exception as exc:
        return _failed(f"The file cannot be read: {type(exc).__name__}: {exc}")


def _failed(error: str) -> Extraction:
    if len(error) > MAX_ERROR_CHARS:
        error = error[: MAX_ERROR_CHARS - 1] + "…"
    return Extraction(status="failed", error=error)


# --- PDF ---------------------------------------------------------------------------------------


def _pdf(path: Path, text: _Text, limits: ZipLimits) -> Extraction:
    from pypdf import PdfReader

    # An open file, not the path: given a path, pypdf reads the whole file into memory.
    with path.open("rb") as fh:
        reader = PdfReader(fh)
        if reader.is_encrypted and not reader.decrypt(""):
            return _failed("The PDF is password-protected and cannot be opened without it.")
        pages = len(reader.pages)
        if pages == 0:
            return _failed("The PDF has no pages.")
        visible = 0
        page_errors: list[str] = []
        try:
            for number, page in enumerate(reader.pages, 1):
                try:
                    page_text = page.extract_text() or ""
                except (RecursionError, MemoryError):
                    raise
                except Exception as exc:  # one broken page does not lose the others
                    page_errors.append(f"page {number}: {type(exc).__name__}: {exc}")
                    continue
                visible += sum(1 for ch in page_text if not ch.isspace())
                text.add(page_text.strip())
        except _Full:
            return Extraction(status="done", text=text.value(), pages=pages)
    if len(page_errors) == pages:
        return _failed("No page of the PDF can be read; " + page_errors[0])
    if visible < MIN_CHARS_PER_PAGE * pages:
        return Extraction(status="no_text_layer", text=text.value(), pages=pages)
    return Extraction(status="done", text=text.value(), pages=pages)


# --- DOCX / XLSX -------------------------------------------------------------------------------


def _docx(path: Path, text: _Text, limits: ZipLimits) -> Extraction:
    import docx

    open_checked_zip(path, limits).close()
    with path.open("rb") as fh:
        document = docx.Document(fh)
    for line in _docx_blocks(document):
        text.add(line)
    return Extraction(status="done", text=text.value())


def _docx_blocks(container) -> Iterator[str]:
    """Paragraph texts and table rows (cells joined by tabs) in document order."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = []
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats in every column it spans
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(_docx_blocks(cell)).strip())
                line = "\t".join(cells).strip()
                if line:
                    yield line
        else:
            line = block.text.strip()
            if line:
                yield line


def _xlsx(path: Path, text: _Text, limits: ZipLimits) -> Extraction:
    import openpyxl

    open_checked_zip(path, limits).close()
    with path.open("rb") as fh:
        _xlsx_rows(openpyxl.load_workbook(fh, read_only=True, data_only=True), text)
    return Extraction(status="done", text=text.value())


def _xlsx_rows(workbook, text: _Text) -> None:
    try:
        for sheet in workbook.worksheets:
            text.add(sheet.title)
            if hasattr(sheet, "reset_dimensions"):
                # Ignore the declared dimension: a hostile "A1:XFD1048576" would otherwise make
                # openpyxl pad every row to 16,384 cells and fill every missing row.
                sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                values = [_cell_text(value) for value in row if value is not None]
                line = "\t".join(value for value in values if value)
                text.add(line)
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


# --- ODT / ODS ---------------------------------------------------------------------------------

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_P = f"{{{_TEXT_NS}}}p"
_H = f"{{{_TEXT_NS}}}h"
_S = f"{{{_TEXT_NS}}}s"
_TAB = f"{{{_TEXT_NS}}}tab"
_LINE_BREAK = f"{{{_TEXT_NS}}}line-break"
_TABLE = f"{{{_TABLE_NS}}}table"
_ROW = f"{{{_TABLE_NS}}}table-row"
_CELL = f"{{{_TABLE_NS}}}table-cell"
_COVERED_CELL = f"{{{_TABLE_NS}}}covered-table-cell"
_NAME = f"{{{_TABLE_NS}}}name"
_COLUMNS_REPEATED = f"{{{_TABLE_NS}}}number-columns-repeated"
_SPACE_COUNT = f"{{{_TEXT_NS}}}c"
# A non-empty cell repeated across columns is written out at most this many times.
MAX_REPEATED_CELLS = 100
MAX_SPACES = 100


class _CappedReader:
    """A file-like wrapper that fails once more than ``limit`` bytes have been read."""

    def __init__(self, raw, limit: int) -> None:
        self.raw = raw
        self.limit = limit
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.limit + 1 - self.count
        data = self.raw.read(max(0, min(size, self.limit + 1 - self.count)))
        self.count += len(data)
        if self.count > self.limit:
            raise Refused("zip_bomb", "The document's content.xml is larger than allowed.")
        return data


def _odf(path: Path, text: _Text, limits: ZipLimits) -> Extraction:
    from lxml import etree

    with open_checked_zip(path, limits) as zf:
        try:
            info = zf.getinfo("content.xml")
        except KeyError:
            return _failed("The document has no content.xml.")
        with zf.open(info) as raw:
            source = _CappedReader(raw, min(info.file_size, limits.max_unpacked_bytes))
            events = etree.iterparse(
                source,
                events=("start", "end"),
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
                load_dtd=False,
                dtd_validation=False,
            )
            _odf_walk(events, text)
    return Extraction(status="done", text=text.value())


def _odf_walk(events, text: _Text) -> None:
    rows: list[list[str]] = []  # cells of the open table rows (tables nest inside cells)
    cells: list[list[str]] = []  # paragraphs of the open cells
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == _TABLE:
                text.add(element.get(_NAME, ""))
            elif tag == _ROW:
                rows.append([])
            elif tag in (_CELL, _COVERED_CELL):
                cells.append([])
            continue
        if tag in (_P, _H):
            paragraph = _odf_paragraph(element).strip()
            if cells:
                cells[-1].append(paragraph)
            else:
                text.add(paragraph)
            element.clear(keep_tail=True)
        elif tag in (_CELL, _COVERED_CELL) and cells:
            value = " ".join(part for part in cells.pop() if part)
            if rows and value:
                repeat = _int(element.get(_COLUMNS_REPEATED), 1)
                rows[-1].extend([value] * min(repeat, MAX_REPEATED_CELLS))
            element.clear(keep_tail=True)
        elif tag == _ROW and rows:
            # A repeated row is written once: "1,048,574 more empty rows" stays one line or none.
            text.add("\t".join(rows.pop()))
            _drop_previous(element)
        elif tag == _TABLE:
            _drop_previous(element)


def _odf_paragraph(element) -> str:
    """A paragraph's text, with <text:s>, <text:tab> and <text:line-break> as whitespace."""
    from lxml import etree

    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node.tag == _S:
                parts.append(" " * min(_int(node.get(_SPACE_COUNT), 1), MAX_SPACES))
            elif node.tag == _TAB:
                parts.append("\t")
            elif node.tag == _LINE_BREAK:
                parts.append("\n")
            if node.text and isinstance(node.tag, str):
                parts.append(node.text)
        elif node is not element and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, int(value)) if value is not None else default
    except ValueError:
        return default


def _drop_previous(element) -> None:
    """Free what has been read: the parsed siblings before ``element`` and its content."""
    element.clear(keep_tail=True)
    while element.getprevious() is not None:
        del element.getparent()[0]


_EXTRACTORS = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "odt": _odf,
    "ods": _odf,
}
