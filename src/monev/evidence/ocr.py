"""Text from scans: PDFs without a text layer and images (PNG, JPEG), read by the Tesseract
engine in Indonesian and English.

Pure Python (no Django), synchronous, run in a child process by the background worker
(isolation.run_isolated), which gives it a memory limit and kills it when a page takes too long.
It never raises: a hostile or broken file ends as ``OcrResult(status="refused" | "failed")``
with a reason a person can act on.

    ocr_file(path, kind, limits, report=None) -> OcrResult(status, text, pages, ...)

status: "done" (text read); "no_text" (the engine ran and found no words: a photo, an empty
page); "refused" (the file is beyond the limits: too many pages, too many pixels); "failed"
(damaged, truncated, password-protected, the engine broke). ``report(done, total)`` is called
before the first page and after each one, for the progress the evidence page shows.

The file is never altered: pages are rendered (PDF, by pdfium) or decoded (images, by Pillow)
into memory and handed to the engine; nothing is written beside the original.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from math import sqrt
from pathlib import Path

__all__ = [
    "INSTALL_COMMAND",
    "LANGUAGES",
    "OcrLimits",
    "OcrResult",
    "engine_problem",
    "ocr_file",
]

LANGUAGES = ("ind", "eng")
# Debian and Ubuntu; docs/deploy.md names the packages of other systems.
INSTALL_COMMAND = "sudo apt-get install tesseract-ocr tesseract-ocr-ind"
SCANNABLE_KINDS = frozenset({"pdf", "png", "jpeg"})

MIN_CHARS_PER_PAGE = 10  # as text_extraction: fewer visible characters than this is no text
MAX_ERROR_CHARS = 500
# Small images (screenshots at screen resolution) are enlarged before reading: the engine is
# tuned for print at about 300 dpi, and a 13 px screen font read as is loses letters.
UPSCALE_BELOW_PIXELS = 1600
# "A single column of text of variable sizes": letters and decrees are that, and reading them as
# one column keeps a "Menimbang :" label on the line it heads. The default (3, find the layout)
# made separate blocks of such labels; on the benchmark's corpus 4 halves the character error
# rate (docs/performance.md). The resolution is given where it is known (PDF pages are rendered
# at it), so the engine does not guess the size of the letters.
PAGE_SEGMENTATION = "--psm 4"


@dataclass(frozen=True)
class OcrLimits:
    """How much of a file the engine may read; settings.MONEV_OCR_* set them."""

    max_pages: int = 200  # a longer PDF is refused whole, before any page is rendered
    max_pixels: int = 40_000_000  # per page: images beyond are refused, PDF pages scaled down
    page_seconds: int = 60  # the engine's time per page
    memory_bytes: int = 2 << 30  # the child process's address space, the engine's included
    dpi: int = 300  # PDF pages are rendered at this resolution
    max_chars: int = 2_000_000


@dataclass(frozen=True)
class OcrResult:
    status: str
    text: str = ""
    pages: int | None = None  # of the file
    pages_read: int = 0
    confidence: int | None = None  # the engine's mean word confidence, 0-100
    error: str = ""


class _Refused(Exception):
    pass


Report = Callable[[int, int], None]


@lru_cache(maxsize=1)
def engine_problem() -> str | None:
    """None when the engine and its Indonesian and English data are installed; otherwise what
    is missing, in English (the pages and `monev check` say it in their own words)."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return "the Tesseract OCR engine is not installed"
    try:
        known = set(pytesseract.get_languages())
    except (OSError, pytesseract.TesseractError, RuntimeError) as exc:
        return f"the Tesseract OCR engine does not start: {exc}"
    missing = [language for language in LANGUAGES if language not in known]
    if missing:
        return "Tesseract has no language data for " + ", ".join(missing)
    return None


def ocr_file(
    path: str | os.PathLike[str],
    kind: str,
    limits: OcrLimits | None = None,
    report: Report | None = None,
) -> OcrResult:
    """The text of the scan at ``path`` (of the sniffed ``kind``); never raises."""
    limits = limits or OcrLimits()
    report = report or (lambda done, total: None)
    if kind not in SCANNABLE_KINDS:
        return _failed(f"No OCR for files of kind {kind!r}.")
    if (problem := engine_problem()) is not None:
        return _failed(problem)
    # The engine runs one thread per page: the worker reads one file at a time, and on a
    # shared machine several threads cost more in contention than they gain.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    pages = None
    try:
        images, pages = (_pdf_pages if kind == "pdf" else _image_pages)(Path(path), limits)
        return _read(images, pages, limits, report)
    except _Refused as refused:
        return OcrResult(status="refused", pages=pages, error=_short(str(refused)))
    except MemoryError:
        return _failed("The scan needs more memory than a file may use.", pages)
    except RecursionError:
        return _failed("The file is nested too deeply to be read.", pages)
    except Exception as exc:
        return _failed(f"The scan cannot be read: {type(exc).__name__}: {exc}", pages)


def _failed(error: str, pages: int | None = None) -> OcrResult:
    return OcrResult(status="failed", pages=pages, error=_short(error))


def _short(error: str) -> str:
    return error if len(error) <= MAX_ERROR_CHARS else error[: MAX_ERROR_CHARS - 1] + "…"


# --- pages as images ---------------------------------------------------------------------------


def _image_pages(path: Path, limits: OcrLimits) -> tuple[Iterator, int]:
    from PIL import Image, ImageFile, ImageOps

    # The size check below refuses from the header, before anything is decoded, with the
    # numbers in its message; Pillow's own bomb check would only say less, later. A truncated
    # file must fail, whatever another library in the process chose (WeasyPrint lets Pillow
    # load truncated images, for its own reasons).
    bomb_limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    fh = path.open("rb")
    try:
        image = Image.open(fh)  # reads the header only
        Image.MAX_IMAGE_PIXELS = bomb_limit
        if image.format not in ("PNG", "JPEG"):
            raise _Refused(
                f"The image is {image.format or 'of an unknown format'}, not PNG or JPEG."
            )
        _check_pixels(*image.size, limits)
        try:
            image.load()
        except OSError as exc:
            raise ValueError(f"the image is damaged or truncated ({exc})") from exc
    except BaseException:
        fh.close()
        raise
    finally:
        Image.MAX_IMAGE_PIXELS = bomb_limit
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    fh.close()
    image = ImageOps.exif_transpose(image).convert("L")
    dpi = _image_dpi(image)
    if (
        max(image.size) < UPSCALE_BELOW_PIXELS
        and image.width * image.height * 4 <= limits.max_pixels
    ):
        image = image.resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS)
        dpi = dpi * 2 if dpi else None
    return iter([(image, dpi)]), 1


def _image_dpi(image) -> int | None:
    """The resolution the file states, if a believable one (screenshots state none, or 72)."""
    try:
        dpi = round(float(image.info.get("dpi", (0, 0))[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return dpi if 100 <= dpi <= 1200 else None


def _check_pixels(width: int, height: int, limits: OcrLimits) -> None:
    if width * height > limits.max_pixels:
        raise _Refused(
            f"The image has {width} x {height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"OCR reads images of at most {limits.max_pixels / 1e6:.0f} megapixels."
        )


def _pdf_pages(path: Path, limits: OcrLimits) -> tuple[Iterator, int]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ValueError("the PDF is password-protected") from exc
        raise ValueError(f"the PDF cannot be opened ({exc})") from exc
    pages = len(document)
    if pages == 0:
        document.close()
        raise ValueError("the PDF has no pages")
    if pages > limits.max_pages:
        document.close()
        raise _Refused(
            f"The PDF has {pages} pages; OCR reads files of at most {limits.max_pages} pages. "
            "Split it, or upload the pages that prove the indicator."
        )
    return _rendered(document, pages, limits), pages


def _rendered(document, pages: int, limits: OcrLimits) -> Iterator:
    try:
        for index in range(pages):
            page = document[index]
            try:
                width, height = page.get_size()  # in points, 72 per inch
                scale = limits.dpi / 72
                if width * height * scale * scale > limits.max_pixels:
                    # A poster-sized page: read at the resolution that fits, not refused.
                    scale = sqrt(limits.max_pixels / (width * height))
                bitmap = page.render(scale=scale, grayscale=True)
                yield bitmap.to_pil(), round(scale * 72)
            finally:
                page.close()
    finally:
        document.close()


# --- the engine --------------------------------------------------------------------------------


def _read(images: Iterator, pages: int, limits: OcrLimits, report: Report) -> OcrResult:
    import pytesseract

    report(0, pages)
    texts: list[str] = []
    length = 0
    weighted = 0
    letters = 0
    read = 0
    for image, dpi in images:
        data = pytesseract.image_to_data(
            image,
            lang="+".join(LANGUAGES),
            config=PAGE_SEGMENTATION + (f" --dpi {dpi}" if dpi else ""),
            timeout=limits.page_seconds,
            output_type=pytesseract.Output.DICT,
        )
        page_text, page_weighted, page_letters = _page_text(data)
        read += 1
        weighted += page_weighted
        letters += page_letters
        if page_text and length < limits.max_chars:
            page_text = page_text[: limits.max_chars - length]
            texts.append(page_text)
            length += len(page_text) + 2
        report(read, pages)
    text = "\n\n".join(texts)
    visible = sum(1 for ch in text if not ch.isspace())
    confidence = round(weighted / letters) if letters else None
    if visible < MIN_CHARS_PER_PAGE * read:
        return OcrResult(status="no_text", text=text, pages=pages, pages_read=read)
    return OcrResult(status="done", text=text, pages=pages, pages_read=read, confidence=confidence)


def _page_text(data: dict) -> tuple[str, int, int]:
    """The page's lines in reading order, and its confidence weighted by word length."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    weighted = letters = 0
    for word, conf, block, paragraph, line in zip(
        data["text"],
        data["conf"],
        data["block_num"],
        data["par_num"],
        data["line_num"],
        strict=True,
    ):
        word = word.strip()
        if not word:
            continue
        lines.setdefault((block, paragraph, line), []).append(word)
        confidence = float(conf)
        if confidence >= 0:
            weighted += confidence * len(word)
            letters += len(word)
    text_lines = []
    previous = None
    for (block, paragraph, _line), words in lines.items():
        if previous is not None and previous != (block, paragraph):
            text_lines.append("")  # a blank line between paragraphs, as a text layer has
        text_lines.append(" ".join(words))
        previous = (block, paragraph)
    return "\n".join(text_lines), int(weighted), letters
