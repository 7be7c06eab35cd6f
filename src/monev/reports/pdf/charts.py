"""Charts for the PDF reports, drawn here as inline SVG (WeasyPrint renders it; a PDF runs no
JavaScript). Horizontal bars of the score now, a black tick for last year and a dashed line for
the target, every number also written as text so a black-and-white print still reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR_COLOUR = "#1f5fa8"  # the score now; tests look for it on the rasterised page
TARGET_COLOUR = "#c0392b"
LAST_YEAR_COLOUR = "#000000"
GRID_COLOUR = "#c8c8c8"

WIDTH = 680
LABEL_WIDTH = 235  # the row's code and name
VALUES_WIDTH = 120  # the numbers, right of the bars
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUES_WIDTH - 20
ROW_HEIGHT = 24
BAR_HEIGHT = 12
TOP = 22  # room for the target's label
LABEL_CHARS = 40


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    last_year: Decimal | None = None


def _num(value: Decimal) -> str:
    return number_format(value, decimal_pos=2)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    bars: list[Bar],
    *,
    scale_max: int,
    target: Decimal | None = None,
    last_year: int | None = None,
    title: str = "",
) -> SafeString:
    """A horizontal bar chart, one row per bar, 0..scale_max; None values draw no bar."""
    plot_left = LABEL_WIDTH
    values_left = plot_left + PLOT_WIDTH + 12

    def x(value: Decimal) -> float:
        share = min(max(Decimal(value), Decimal(0)), Decimal(scale_max)) / scale_max
        return round(plot_left + float(share) * PLOT_WIDTH, 1)

    rows_height = ROW_HEIGHT * len(bars)
    axis_y = TOP + rows_height
    height = axis_y + 44  # axis numbers and the legend
    has_last_year = any(bar.last_year is not None for bar in bars)
    last_year_word = escape(_("last year"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    for tick in range(scale_max + 1):
        tx = x(Decimal(tick))
        parts.append(
            f'<line x1="{tx}" y1="{TOP}" x2="{tx}" y2="{axis_y}" stroke="{GRID_COLOUR}" '
            'stroke-width="0.6"/>'
            f'<text x="{tx}" y="{axis_y + 12}" text-anchor="middle" fill="#333">{tick}</text>'
        )
    for n, bar in enumerate(bars):
        middle = TOP + n * ROW_HEIGHT + ROW_HEIGHT / 2
        parts.append(
            f'<text x="0" y="{middle + 3.5}" fill="#000">{escape(_short(bar.label))}</text>'
        )
        if bar.value is not None:
            width = round(x(bar.value) - plot_left, 1)
            parts.append(
                f'<rect class="bar" x="{plot_left}" y="{middle - BAR_HEIGHT / 2}" '
                f'width="{width}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            )
        if bar.last_year is not None:
            lx = x(bar.last_year)
            parts.append(
                f'<line class="last-year" x1="{lx}" y1="{middle - ROW_HEIGHT / 2 + 2}" x2="{lx}" '
                f'y2="{middle + ROW_HEIGHT / 2 - 2}" stroke="{LAST_YEAR_COLOUR}" '
                'stroke-width="2.5"/>'
            )
        value_text = _num(bar.value) if bar.value is not None else "—"
        parts.append(
            f'<text x="{values_left}" y="{middle + 3.5}" font-weight="bold" fill="#000">'
            f"{value_text}</text>"
        )
        if bar.last_year is not None:
            parts.append(
                f'<text x="{values_left + 34}" y="{middle + 3.5}" fill="#333">'
                f"({last_year_word} {_num(bar.last_year)})</text>"
            )
    if target is not None:
        tx = x(target)
        target_word = escape(_("Target"))
        parts.append(
            f'<line class="target" x1="{tx}" y1="{TOP - 4}" x2="{tx}" y2="{axis_y}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="1.6" stroke-dasharray="5 3"/>'
            f'<text x="{tx}" y="{TOP - 8}" text-anchor="middle" fill="{TARGET_COLOUR}">'
            f"{target_word} {_num(target)}</text>"
        )
    parts.append(_legend(axis_y + 30, has_last_year, last_year, target is not None))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _legend(y: int, has_last_year: bool, last_year: int | None, has_target: bool) -> str:
    score_now = escape(_("Score now"))
    parts = [
        f'<rect x="{LABEL_WIDTH}" y="{y - 8}" width="18" height="9" fill="{BAR_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 23}" y="{y}">{score_now}</text>'
    ]
    left = LABEL_WIDTH + 120
    if has_last_year:
        label = _("Last year") + (f" ({last_year})" if last_year else "")
        parts.append(
            f'<line x1="{left + 6}" y1="{y - 10}" x2="{left + 6}" y2="{y + 2}" '
            f'stroke="{LAST_YEAR_COLOUR}" stroke-width="2.5"/>'
            f'<text x="{left + 14}" y="{y}">{escape(label)}</text>'
        )
        left += 130
    if has_target:
        target_index = escape(_("Target index"))
        parts.append(
            f'<line x1="{left}" y1="{y - 4}" x2="{left + 18}" y2="{y - 4}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="1.6" stroke-dasharray="5 3"/>'
            f'<text x="{left + 23}" y="{y}">{target_index}</text>'
        )
    return "".join(parts)


def comparison_bars(comparisons) -> list[Bar]:
    """Bars from the dashboard's domain or aspect comparisons (monitoring.selectors)."""
    return [Bar(f"{c.code} {c.name}", c.score, c.last_year) for c in comparisons]
