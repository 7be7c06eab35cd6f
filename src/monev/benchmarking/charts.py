"""The peer comparison chart, drawn here as inline SVG (no script; prints as it shows), in the
manner of the report charts (monev.reports.pdf.charts): one row per aspect and one for the
index, a grey whisker from the peers' minimum to maximum, a box from the lower to the upper
quartile with the median as a bar, and the institution's own value as a blue diamond. Every
number is also in the table beside it: the chart is a view of the table."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from monev.benchmarking.selectors import Summary

OWN_COLOUR = "#1f5fa8"
BOX_COLOUR = "#d9e3f0"
LINE_COLOUR = "#555555"
GRID_COLOUR = "#c8c8c8"

WIDTH = 680
LABEL_WIDTH = 210
VALUE_WIDTH = 70
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20
ROW_HEIGHT = 26
TOP = 24
LABEL_CHARS = 34


@dataclass(frozen=True)
class Row:
    label: str
    own: Decimal | None
    peers: Summary | None


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def peer_chart(rows: list[Row], *, scale_max: int, title: str) -> SafeString:
    """Box-and-whisker rows of the peers with the institution's own value on each."""
    left = LABEL_WIDTH

    def x(value) -> float:
        share = min(max(Decimal(value), Decimal(0)), Decimal(scale_max)) / scale_max
        return round(left + float(share) * PLOT_WIDTH, 1)

    height = TOP + ROW_HEIGHT * len(rows) + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart peer-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    bottom = TOP + ROW_HEIGHT * len(rows)
    for tick in range(scale_max + 1):
        tx = x(tick)
        parts.append(
            f'<line x1="{tx}" y1="{TOP - 6}" x2="{tx}" y2="{bottom}" stroke="{GRID_COLOUR}" '
            f'stroke-width="1"/><text x="{tx}" y="{TOP - 10}" font-size="10" '
            f'text-anchor="middle">{tick}</text>'
        )
    for number, row in enumerate(rows):
        mid = TOP + ROW_HEIGHT * number + ROW_HEIGHT / 2
        parts.append(
            f'<text x="{left - 8}" y="{mid + 4}" font-size="11" text-anchor="end">'
            f"{escape(_short(row.label))}</text>"
        )
        peers = row.peers
        if peers is not None:
            parts.append(
                f'<line x1="{x(peers.minimum)}" y1="{mid}" x2="{x(peers.maximum)}" y2="{mid}" '
                f'stroke="{LINE_COLOUR}" stroke-width="1"/>'
                f'<rect x="{x(peers.q1)}" y="{mid - 7}" '
                f'width="{max(x(peers.q3) - x(peers.q1), 1):.1f}" height="14" '
                f'fill="{BOX_COLOUR}" stroke="{LINE_COLOUR}" stroke-width="1"/>'
                f'<line x1="{x(peers.median)}" y1="{mid - 8}" x2="{x(peers.median)}" '
                f'y2="{mid + 8}" stroke="{LINE_COLOUR}" stroke-width="3"/>'
            )
        if row.own is not None:
            ox = x(row.own)
            parts.append(
                f'<path d="M {ox} {mid - 6} L {ox + 6} {mid} L {ox} {mid + 6} L {ox - 6} {mid} Z" '
                f'fill="{OWN_COLOUR}"><title>{escape(number_format(row.own, 2))}</title></path>'
            )
        own_text = "—" if row.own is None else number_format(row.own, 2)
        parts.append(
            f'<text x="{left + PLOT_WIDTH + 12}" y="{mid + 4}" font-size="11">'
            f"{escape(own_text)}</text>"
        )
    legend_y = bottom + 22
    parts.append(
        f'<path d="M {left} {legend_y - 6} L {left + 6} {legend_y} L {left} {legend_y + 6} '
        f'L {left - 6} {legend_y} Z" fill="{OWN_COLOUR}"/>'
        f'<text x="{left + 12}" y="{legend_y + 4}" font-size="10">{escape(_("this institution"))}'
        f"</text>"
        f'<rect x="{left + 150}" y="{legend_y - 6}" width="22" height="12" fill="{BOX_COLOUR}" '
        f'stroke="{LINE_COLOUR}"/><text x="{left + 178}" y="{legend_y + 4}" font-size="10">'
        f"{escape(_('peers: quartiles, median, minimum to maximum'))}</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
