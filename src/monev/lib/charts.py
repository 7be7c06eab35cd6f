"""Row charts drawn as inline SVG, for the pages and the PDF reports alike.

SVG and no script: a PDF runs no JavaScript (WeasyPrint draws the SVG), a page needs nothing
allowed for it in its Content-Security-Policy, and a print shows what the screen does. Only
presentation attributes (fill, stroke, font-size) and classes, never a style attribute: the
policy allows no inline style. A row chart is a stack of rows, each with its label on the left,
its marks on a plot from 0 to the scale's maximum, and its numbers as text on the right, so
that every number reads without the drawing (and in black and white). The apps choose the rows
and the marks (monev.benchmarking.charts, monev.reports.pdf.charts); the drawing is here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
OWN_COLOUR = "#1f5fa8"  # the institution's own score, on the pages and in the PDF alike
GRID_COLOUR = "#c8c8c8"
LINE_COLOUR = "#555555"


def element(tag: str, /, *children, **attributes) -> SafeString:
    """`<tag a="1">children</tag>`, or `<tag a="1"/>` without children. Every attribute value
    and text child is escaped; a SafeString child (another element) is kept as it is; an
    attribute of None is left out. Python names stand for SVG's: class_ for class, stroke_width
    for stroke-width."""
    written = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'
        for name, value in attributes.items()
        if value is not None
    )
    if not children:
        return mark_safe(f"<{tag}{written}/>")  # noqa: S308 - every value is escaped
    body = "".join(conditional_escape(child) for child in children)
    return mark_safe(f"<{tag}{written}>{body}</{tag}>")  # noqa: S308 - every text is escaped


def joined(parts) -> SafeString:
    """Elements side by side; a plain text among them is escaped."""
    return mark_safe("".join(conditional_escape(part) for part in parts))  # noqa: S308


def svg(width: int, height: int, *children, title: str, fluid: bool = False, **attributes):
    """The chart's root, named by its title for screen readers. Fluid: as wide as the page's
    column allows (a page); otherwise drawn at its own size (a PDF)."""
    size = {"width": "100%"} if fluid else {"width": width, "height": height}
    return element(
        "svg",
        element("title", title) if title else "",
        *children,
        xmlns=SVG_NAMESPACE,
        viewBox=f"0 0 {width} {height}",
        role="img",
        aria_label=title,
        **size,
        **attributes,
    )


@dataclass(frozen=True)
class Scale:
    """Values from 0 to maximum along the plot, from left to left + width; a value outside is
    drawn at the nearer end."""

    maximum: int
    left: float
    width: float

    def x(self, value) -> float:
        share = min(max(Decimal(value), Decimal(0)), Decimal(self.maximum)) / self.maximum
        return round(self.left + float(share) * self.width, 1)

    def ticks(self) -> range:
        return range(self.maximum + 1)


@dataclass(frozen=True)
class RowLayout:
    """Where a row chart's parts stand: the labels, then the plot, then the numbers."""

    label_width: int
    values_width: int
    row_height: int
    top: int  # above the first row: room for the axis numbers or a label on the plot
    label_chars: int  # a longer label is shortened with an ellipsis
    width: int = 680

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - self.values_width - 20

    @property
    def values_left(self) -> int:
        return self.label_width + self.plot_width + 12

    def scale(self, maximum: int) -> Scale:
        return Scale(maximum, self.label_width, self.plot_width)

    def middle(self, row: int) -> float:
        """The vertical middle of the row numbered from 0."""
        return self.top + self.row_height * row + self.row_height / 2

    def bottom(self, rows: int) -> int:
        return self.top + self.row_height * rows

    def label_lines(self, text: str, lines: int = 2) -> list[str]:
        """The label in at most `lines` lines of `label_chars`, broken between words (a word
        longer than a line is cut); an ellipsis ends the last line only when words are left
        over. A PDF's names stay readable instead of clipped mid-word."""
        limit = self.label_chars
        out: list[str] = []
        words = text.split()
        while words and len(out) < lines:
            line = words.pop(0)[:limit]
            while words and len(line) + 1 + len(words[0]) <= limit:
                line += " " + words.pop(0)
            out.append(line)
        if words:
            last = out[-1]
            out[-1] = (last if len(last) < limit else last[: limit - 1].rstrip()) + "…"
        return out

    def label(self, text: str) -> str:
        limit = self.label_chars
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def vertical_line(x: float, top: float, bottom: float, **attributes) -> SafeString:
    return element("line", x1=x, y1=top, x2=x, y2=bottom, **attributes)


def grid(scale: Scale, *, top, bottom, stroke_width, label_y, **label) -> SafeString:
    """A thin line across the rows at each whole number of the scale, the number at label_y."""
    parts = []
    for tick in scale.ticks():
        x = scale.x(tick)
        parts.append(vertical_line(x, top, bottom, stroke=GRID_COLOUR, stroke_width=stroke_width))
        parts.append(element("text", tick, x=x, y=label_y, text_anchor="middle", **label))
    return joined(parts)


def bar(scale: Scale, middle: float, value, *, height, fill) -> SafeString:
    """A bar from 0 to the value."""
    return element(
        "rect",
        class_="bar",
        x=scale.left,
        y=middle - height / 2,
        width=round(scale.x(value) - scale.left, 1),
        height=height,
        fill=fill,
    )


class Spread(Protocol):
    """Summary statistics of some values (as monev.benchmarking.selectors.summaries.Summary has)."""

    minimum: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: Decimal


def box_and_whisker(scale: Scale, middle: float, spread: Spread, *, fill) -> SafeString:
    """A whisker from the minimum to the maximum, a box from the lower to the upper quartile,
    and the median as a bar across it."""
    q1, q3 = scale.x(spread.q1), scale.x(spread.q3)
    return (
        element(
            "line",
            x1=scale.x(spread.minimum),
            y1=middle,
            x2=scale.x(spread.maximum),
            y2=middle,
            stroke=LINE_COLOUR,
            stroke_width=1,
        )
        + element(
            "rect",
            x=q1,
            y=middle - 7,
            width=f"{max(q3 - q1, 1):.1f}",
            height=14,
            fill=fill,
            stroke=LINE_COLOUR,
            stroke_width=1,
        )
        + vertical_line(
            scale.x(spread.median), middle - 8, middle + 8, stroke=LINE_COLOUR, stroke_width=3
        )
    )


def diamond(x: float, y: float, *children, radius: int = 6, fill: str) -> SafeString:
    """A diamond centred on (x, y); children such as a <title> give it a tooltip."""
    r = radius
    path = f"M {x} {y - r} L {x + r} {y} L {x} {y + r} L {x - r} {y} Z"
    return element("path", *children, d=path, fill=fill)
