"""The peer comparison chart, drawn as inline SVG by monev.lib.charts (as the report charts
are): one row per aspect and one for the index, a grey whisker from the peers' minimum to
maximum, a box from the lower to the upper quartile with the median as a bar, and the
institution's own value as a blue diamond. Every number is also in the table beside it: the
chart is a view of the table."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from monev.benchmarking.selectors.summaries import Summary
from monev.lib.charts import (
    LINE_COLOUR,
    OWN_COLOUR,
    RowLayout,
    box_and_whisker,
    diamond,
    element,
    grid,
    svg,
)

BOX_COLOUR = "#d9e3f0"

LAYOUT = RowLayout(label_width=210, values_width=70, row_height=26, top=24, label_chars=34)


@dataclass(frozen=True)
class Row:
    label: str
    own: Decimal | None
    peers: Summary | None


def peer_chart(rows: list[Row], *, scale_max: int, title: str) -> SafeString:
    """Box-and-whisker rows of the peers with the institution's own value on each."""
    scale = LAYOUT.scale(scale_max)
    left = LAYOUT.label_width
    bottom = LAYOUT.bottom(len(rows))
    parts = [
        grid(
            scale,
            top=LAYOUT.top - 6,
            bottom=bottom,
            stroke_width=1,
            label_y=LAYOUT.top - 10,
            font_size=10,
        )
    ]
    for number, row in enumerate(rows):
        mid = LAYOUT.middle(number)
        parts.append(
            element(
                "text",
                LAYOUT.label(row.label),
                x=left - 8,
                y=mid + 4,
                font_size=11,
                text_anchor="end",
            )
        )
        if row.peers is not None:
            parts.append(box_and_whisker(scale, mid, row.peers, fill=BOX_COLOUR))
        if row.own is not None:
            own_value = element("title", number_format(row.own, 2))
            parts.append(diamond(scale.x(row.own), mid, own_value, fill=OWN_COLOUR))
        own_text = "—" if row.own is None else number_format(row.own, 2)
        parts.append(element("text", own_text, x=LAYOUT.values_left, y=mid + 4, font_size=11))
    legend_y = bottom + 22
    parts += [
        diamond(left, legend_y, fill=OWN_COLOUR),
        element("text", _("this institution"), x=left + 12, y=legend_y + 4, font_size=10),
        element(
            "rect",
            x=left + 150,
            y=legend_y - 6,
            width=22,
            height=12,
            fill=BOX_COLOUR,
            stroke=LINE_COLOUR,
        ),
        element(
            "text",
            _("peers: quartiles, median, minimum to maximum"),
            x=left + 178,
            y=legend_y + 4,
            font_size=10,
        ),
    ]
    return svg(
        LAYOUT.width, bottom + 34, *parts, title=title, fluid=True, class_="chart peer-chart"
    )
