"""Scans made in the test: lines of text drawn on a white page (Pillow's own font), saved as an
image-only PDF, a PNG or a JPEG, as a scanner or a screenshot would leave them."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from tools_support import require_tool

A4_AT_200_DPI = (1654, 2339)

REGULATION = [
    "PERATURAN WALI KOTA BANDUNG",
    "NOMOR 12 TAHUN 2024",
    "TENTANG",
    "ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
    "Peta rencana dan tim koordinator SPBE ditetapkan.",
]


def needs_engine() -> None:
    """Skip (fail with MONEV_REQUIRE_TOOLS=1) where the OCR engine is not installed."""
    require_tool("tesseract")


def page(lines: list[str], size: tuple[int, int] = A4_AT_200_DPI) -> Image.Image:
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    for number, line in enumerate(lines):
        draw.text((120, 200 + number * 70), line, fill=0, font=font)
    return image


def scanned_pdf(*pages: list[str]) -> bytes:
    images = [page(lines) for lines in pages or (REGULATION,)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return out.getvalue()


def image_bytes(lines: list[str] = REGULATION, kind: str = "PNG", **size) -> bytes:
    out = io.BytesIO()
    page(lines, **size).save(out, kind)
    return out.getvalue()
