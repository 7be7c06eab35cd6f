"""Scanned documents for the demo: a page of text typeset by WeasyPrint, rasterised at 200 dpi
and degraded as a flatbed scanner leaves a signed and stamped letter (a slight tilt, grey paper
and ink, grain, JPEG compression), saved as a PDF of images only - what OCR must read - and an
application screenshot as a PNG. Deterministic: the same text gives the same bytes."""

from __future__ import annotations

import html
import io
import random
import zlib

DPI = 200
A4 = "A4"


def _page_html(lines: list[str]) -> str:
    body = []
    for line in lines:
        text = html.escape(line)
        centred = line.isupper() and len(line) < 90
        body.append(f'<p class="{"c" if centred else ""}">{text}</p>' if line else "<br>")
    return (
        "<html><head><style>@page { size: A4; margin: 2.5cm 2cm 2cm 2.5cm }"
        "body { font-family: 'DejaVu Serif', serif; font-size: 11.5pt; line-height: 1.35 }"
        "p { margin: 0 0 .35em } p.c { text-align: center; font-weight: bold }"
        "</style></head><body>" + "".join(body) + "</body></html>"
    )


def _rendered(html_text: str, scale: float):
    import pypdfium2
    import weasyprint

    pdf = weasyprint.HTML(string=html_text, url_fetcher=_no_fetching).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=scale, grayscale=True).to_pil() for page in document]
    finally:
        document.close()


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"the demo's scans fetch nothing ({url})")


def _degraded(image, rng: random.Random):
    from PIL import Image, ImageChops

    image = image.convert("L")
    paper, ink = rng.randint(230, 244), rng.randint(20, 40)
    image = image.point([round(ink + value * (paper - ink) / 255) for value in range(256)])
    image = image.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor=paper)
    grain = Image.effect_noise(image.size, rng.uniform(6, 10))
    return ImageChops.add(image, grain, scale=1.0, offset=-128)


def scanned_pdf(lines: list[str]) -> bytes:
    """The lines typeset on A4 pages, scanned: a PDF of JPEG images with no text layer."""
    from PIL import Image

    rng = random.Random(zlib.crc32("\n".join(lines).encode()))  # noqa: S311 - a look, not a secret
    pages = [_degraded(page, rng) for page in _rendered(_page_html(lines), DPI / 72)]
    out = io.BytesIO()
    compressed = []
    for page in pages:
        buffer = io.BytesIO()
        page.save(buffer, "JPEG", quality=70)
        buffer.seek(0)
        compressed.append(Image.open(buffer))
    compressed[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=compressed[1:])
    return out.getvalue()


def screenshot_png(title: str, rows: list[tuple[str, ...]]) -> bytes:
    """An application's list page as a browser shows it, as a PNG."""
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
        for row in rows[1:]
    )
    page = (
        "<html><head><style>@page { size: 1280px 720px; margin: 0 }"
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 15px; margin: 0 }"
        "header { background: #1d4e89; color: white; padding: 14px 24px; font-size: 20px }"
        "table { border-collapse: collapse; margin: 24px; width: 1200px }"
        "th, td { border: 1px solid #bbb; padding: 8px; text-align: left } th { background: #eee }"
        f"</style></head><body><header>{html.escape(title)}</header>"
        f"<table><tr>{head}</tr>{body}</table></body></html>"
    )
    [image] = _rendered(page, 1.0)[:1]
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
