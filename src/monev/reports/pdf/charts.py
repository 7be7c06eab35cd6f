"""Charts for the PDF reports, drawn as inline SVG by monev.lib.charts (WeasyPrint renders it;
a PDF runs no JavaScript). Horizontal bars of the score now, a black tick for last year and a
dashed line for the target, every number also written as text so a black-and-white print
still reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from monev.lib.charts import OWN_COLOUR, RowLayout, bar, element, grid, joined, svg, vertical_line

BAR_COLOUR = OWN_COLOUR  # the score now; tests look for it on the rasterised page
TARGET_COLOUR = "#c0392b"
LAST_YEAR_COLOUR = "#000000"

# Labels: the row's code and name; values: the numbers, right of the bars; top: room for the
# target's label.
LAYOUT = RowLayout(label_width=235, values_width=120, row_height=24, top=22, label_chars=36)
LABEL_LINE_HEIGHT = 10.5  # a two-line label fills its row
PLOT_WIDTH = LAYOUT.plot_width
BAR_HEIGHT = 12
TARGET_LINE = {"stroke": TARGET_COLOUR, "stroke_width": 1.6, "stroke_dasharray": "5 3"}
LAST_YEAR_LINE = {"stroke": LAST_YEAR_COLOUR, "stroke_width": 2.5}


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    last_year: Decimal | None = None


def _num(value: Decimal) -> str:
    return number_format(value, decimal_pos=2)


def bar_chart(
    bars: list[Bar],
    *,
    scale_max: int,
    target: Decimal | None = None,
    last_year: int | None = None,
    title: str = "",
) -> SafeString:
    """A horizontal bar chart, one row per bar, 0..scale_max; None values draw no bar."""
    scale = LAYOUT.scale(scale_max)
    values_left = LAYOUT.values_left
    top = LAYOUT.top
    axis_y = LAYOUT.bottom(len(bars))
    height = axis_y + 44  # axis numbers and the legend
    parts = [
        grid(scale, top=top, bottom=axis_y, stroke_width=0.6, label_y=axis_y + 12, fill="#333")
    ]
    for n, row in enumerate(bars):
        middle = LAYOUT.middle(n)
        parts.append(_label(row.label, middle))
        if row.value is not None:
            parts.append(bar(scale, middle, row.value, height=BAR_HEIGHT, fill=BAR_COLOUR))
        if row.last_year is not None:
            half = LAYOUT.row_height / 2 - 2
            parts.append(
                vertical_line(
                    scale.x(row.last_year),
                    middle - half,
                    middle + half,
                    class_="last-year",
                    **LAST_YEAR_LINE,
                )
            )
        value_text = _num(row.value) if row.value is not None else "—"
        parts.append(
            element(
                "text", value_text, x=values_left, y=middle + 3.5, font_weight="bold", fill="#000"
            )
        )
        if row.last_year is not None:
            last_year_word = _("last year")  # outside the f-string: gettext extraction reads it
            last_year_text = f"({last_year_word} {_num(row.last_year)})"
            parts.append(
                element("text", last_year_text, x=values_left + 34, y=middle + 3.5, fill="#333")
            )
    if target is not None:
        tx = scale.x(target)
        parts.append(vertical_line(tx, top - 4, axis_y, class_="target", **TARGET_LINE))
        parts.append(
            element(
                "text",
                f"{_('Target')} {_num(target)}",
                x=tx,
                y=top - 8,
                text_anchor="middle",
                fill=TARGET_COLOUR,
            )
        )
    has_last_year = any(row.last_year is not None for row in bars)
    parts.append(_legend(axis_y + 30, has_last_year, last_year, target is not None))
    return svg(
        LAYOUT.width,
        height,
        *parts,
        title=title,
        class_="chart",
        font_family="DejaVu Sans, sans-serif",
        font_size=11,
    )


def _label(text: str, middle: float) -> SafeString:
    """The row's name, on two lines when it is long (never clipped mid-word)."""
    lines = LAYOUT.label_lines(text)
    first = middle + 3.5 - LABEL_LINE_HEIGHT * (len(lines) - 1) / 2
    spans = [
        element("tspan", line, x=0, y=round(first + LABEL_LINE_HEIGHT * n, 1))
        for n, line in enumerate(lines)
    ]
    size = 10 if len(lines) > 1 else None
    return element("text", *spans, fill="#000", font_size=size)


def _legend(y: int, has_last_year: bool, last_year: int | None, has_target: bool) -> SafeString:
    left = LAYOUT.label_width
    parts = [
        element("rect", x=left, y=y - 8, width=18, height=9, fill=BAR_COLOUR),
        element("text", _("Score now"), x=left + 23, y=y),
    ]
    left += 120
    if has_last_year:
        label = _("Last year") + (f" ({last_year})" if last_year else "")
        parts.append(vertical_line(left + 6, y - 10, y + 2, **LAST_YEAR_LINE))
        parts.append(element("text", label, x=left + 14, y=y))
        left += 130
    if has_target:
        parts.append(element("line", x1=left, y1=y - 4, x2=left + 18, y2=y - 4, **TARGET_LINE))
        parts.append(element("text", _("Target index"), x=left + 23, y=y))
    return joined(parts)


def comparison_bars(comparisons) -> list[Bar]:
    """Bars from the dashboard's domain or aspect comparisons (a Comparison of
    monev.monitoring.selectors.period_dashboard)."""
    return [Bar(f"{c.code} {c.name}", c.score, c.last_year) for c in comparisons]
