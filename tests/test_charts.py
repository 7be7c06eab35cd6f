"""The SVG building blocks the page and PDF charts share (monev.lib.charts): escaping, the
scale kept within its ends, the row geometry, and no style attribute anywhere."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from xml.etree import ElementTree

from monev.lib.charts import RowLayout, box_and_whisker, diamond, element, grid, svg

SPREAD = SimpleNamespace(minimum=1, q1=2, median=Decimal("2.5"), q3=3, maximum=4)
LAYOUT = RowLayout(label_width=200, values_width=60, row_height=20, top=10, label_chars=10)


def test_an_element_escapes_its_values_and_texts_but_keeps_the_elements_inside_it():
    inner = element("title", "<b>&")
    drawn = element("path", inner, "<i>", d='M "0', class_="own", stroke_width=2, fill=None)
    assert drawn == (
        '<path d="M &quot;0" class="own" stroke-width="2">'
        "<title>&lt;b&gt;&amp;</title>&lt;i&gt;</path>"
    )
    assert element("line", x1=1) == '<line x1="1"/>'


def test_the_scale_keeps_values_within_its_ends():
    scale = LAYOUT.scale(5)
    assert LAYOUT.plot_width == 400
    assert [scale.x(v) for v in (-1, 0, Decimal("2.5"), 5, 9)] == [200, 200, 400, 600, 600]


def test_the_rows_stand_one_under_another_with_long_labels_shortened():
    assert [LAYOUT.middle(n) for n in range(3)] == [20, 40, 60]
    assert LAYOUT.bottom(3) == 70
    assert LAYOUT.label("Kebijakan Internal") == "Kebijakan…"
    assert LAYOUT.label("Kebijakan") == "Kebijakan"


def test_a_chart_is_well_formed_svg_named_by_its_title_without_style_attributes():
    scale = LAYOUT.scale(4)
    drawn = svg(
        LAYOUT.width,
        100,
        grid(scale, top=10, bottom=70, stroke_width=1, label_y=8),
        box_and_whisker(scale, 20, SPREAD, fill="#eee"),
        diamond(scale.x(3), 20, element("title", "3 & 4"), fill="#00f"),
        title='Peers "A" & B',
        fluid=True,
    )
    root = ElementTree.fromstring(drawn)  # noqa: S314 - the SVG just drawn
    assert root.get("aria-label") == 'Peers "A" & B' and root.get("width") == "100%"
    assert root.find("{http://www.w3.org/2000/svg}title").text == 'Peers "A" & B'
    assert all("style" not in e.attrib for e in root.iter())
    numbers = [e.text for e in root.iter("{http://www.w3.org/2000/svg}text")]
    assert numbers == ["0", "1", "2", "3", "4"]
