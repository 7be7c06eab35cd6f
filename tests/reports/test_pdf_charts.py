"""The SVG bar charts of the PDF reports: one bar per row scaled to the instrument's scale,
last year's tick, the target's dashed line, and every number also written as text."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

from django.utils import translation

from monev.reports.pdf.charts import BAR_COLOUR, PLOT_WIDTH, Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - the SVG the chart code just drew


def of_class(root, name: str) -> list:
    return [e for e in root.iter() if e.get("class") == name]


def texts(root) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}text")]


def test_it_draws_one_bar_per_scored_row_scaled_to_the_scale():
    bars = [Bar("D1 Kebijakan", Decimal("5")), Bar("D2 Tata Kelola", Decimal("2.5"))]
    root = parse(bar_chart(bars, scale_max=5))
    widths = [float(rect.get("width")) for rect in of_class(root, "bar")]
    assert widths == [PLOT_WIDTH, PLOT_WIDTH / 2]
    assert {rect.get("fill") for rect in of_class(root, "bar")} == {BAR_COLOUR}


def test_it_writes_every_value_as_text_with_the_indonesian_decimal_comma():
    with translation.override("id"):
        root = parse(bar_chart([Bar("A1", Decimal("3.1"), Decimal("2.75"))], scale_max=5))
    words = " ".join(texts(root))
    assert "3,10" in words and "(tahun lalu 2,75)" in words


def test_it_marks_last_year_with_a_tick_and_the_target_with_a_dashed_line():
    bars = [Bar("A1", Decimal("3"), Decimal("2")), Bar("A2", Decimal("4"), None)]
    root = parse(bar_chart(bars, scale_max=5, target=Decimal("4.62"), last_year=2024))
    assert len(of_class(root, "last-year")) == 1
    (target,) = of_class(root, "target")
    assert target.get("stroke-dasharray")
    with translation.override("en"):
        root = parse(bar_chart(bars, scale_max=5, target=Decimal("4.62"), last_year=2024))
    words = " ".join(texts(root))
    assert "Target 4.62" in words and "Last year (2024)" in words and "Target index" in words


def test_a_row_without_a_score_has_no_bar_but_a_dash():
    root = parse(bar_chart([Bar("A1", None)], scale_max=5))
    assert of_class(root, "bar") == []
    assert "—" in texts(root)


def test_without_last_year_or_target_the_legend_names_only_the_bars():
    with translation.override("en"):
        root = parse(bar_chart([Bar("A1", Decimal("1"))], scale_max=5))
    words = " ".join(texts(root))
    assert "Score now" in words and "Last year" not in words and "Target" not in words


def test_it_escapes_labels_and_shortens_long_ones():
    name = "<script>alert(1)</script> " + "Kebijakan Internal Tata Kelola " * 3
    svg = bar_chart([Bar(name, Decimal("1"))], scale_max=5)
    assert "<script>" not in svg
    label = next(e for e in parse(svg).iter(f"{SVG}text") if e.find(f"{SVG}tspan") is not None)
    lines = [span.text for span in label.iter(f"{SVG}tspan")]
    # Wrapped between words on two lines, never clipped mid-word; the rest marked with "…".
    assert lines[0].startswith("<script>") and lines[-1].endswith("…") and len(lines) == 2
    assert all(len(line) <= 36 for line in lines)


def test_a_long_label_is_wrapped_on_two_lines_not_clipped():
    name = "A7 Layanan Administrasi Pemerintahan Berbasis Elektronik"
    svg = bar_chart([Bar(name, Decimal(1))], scale_max=5)
    label = next(e for e in parse(svg).iter(f"{SVG}text") if e.find(f"{SVG}tspan") is not None)
    lines = [span.text for span in label.iter(f"{SVG}tspan")]
    assert lines == ["A7 Layanan Administrasi Pemerintahan", "Berbasis Elektronik"]


def test_its_height_grows_with_the_rows():
    one = parse(bar_chart([Bar("A", Decimal(1))], scale_max=5))
    eight = parse(bar_chart([Bar(str(n), Decimal(1)) for n in range(8)], scale_max=5))
    height = lambda root: int(re.sub(r"\D", "", root.get("height")))  # noqa: E731
    assert height(eight) - height(one) == 7 * 24
