"""The charts' numbers follow the page's language, not the browser's: in Bahasa Indonesia the
value axis and the tooltips write a decimal comma ("2,5", "3,00"), in English a point. The
browser here is set to American English, so only the page's <html lang> can give the comma."""

from __future__ import annotations

import pytest
from browser_support import (
    DESKTOP,
    expect_canvas_drawn,
    give_levels,
    open_period,
    period_tab,
    sign_in,
)
from playwright.sync_api import expect

ASPECT_CHART = 'canvas[data-chart="aspect-chart-data"]'

# What the aspect chart shows: its value axis's tick labels, the tooltip of a point with the
# value 3 and the guide's target line as it would write them.
CHART_NUMBERS = """selector => {
  const chart = Chart.getChart(document.querySelector(selector));
  const tooltip = chart.options.plugins.tooltip.callbacks.label;
  return {
    locale: chart.options.locale,
    ticks: chart.scales.y.ticks.map(tick => tick.label),
    tooltip: tooltip.call(chart.tooltip, {dataset: {label: "Aspek"}, parsed: {y: 3}}),
  };
}"""


@pytest.fixture
def context(browser, live_server):
    """A browser whose own locale is en-US (conftest's is id-ID). The page fixture watches its
    tabs as usual; a CSP violation still fails the test through the console ("Refused to")."""
    english = browser.new_context(base_url=live_server.url, locale="en-US")
    english.set_default_timeout(15_000)
    yield english
    english.close()


def chart_numbers(page) -> dict:
    expect_canvas_drawn(page, ASPECT_CHART)
    return page.evaluate(CHART_NUMBERS, ASPECT_CHART)


def fractions(ticks: list[str]) -> list[str]:
    """The tick labels with a fractional part ("2,5" or "2.5")."""
    return [t for t in ticks if "," in t or "." in t]


def test_the_value_axis_and_tooltips_write_numbers_in_the_pages_language(page, world, password):
    world.period.target = "3.25"  # its guide line is labelled through the same formatter
    world.period.save(update_fields=["target"])
    give_levels(world, {str(n): str(1 + n % 4) for n in range(1, 11)})
    page.set_viewport_size(DESKTOP)  # tall enough for ticks every 0,5
    sign_in(page, "koordinator", password)
    open_period(page, "Pemerintah Kota Contoh")
    period_tab(page, "Dasbor")
    assert page.evaluate("document.documentElement.lang") == "id"

    indonesian = chart_numbers(page)
    shown = fractions(indonesian["ticks"])
    assert shown, indonesian["ticks"]
    assert all("," in t and "." not in t for t in shown), indonesian["ticks"]
    assert indonesian["tooltip"] == "Aspek: 3,00"
    assert indonesian["locale"] == "id"

    page.locator("#language-select").select_option("en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    english = chart_numbers(page)
    shown = fractions(english["ticks"])
    assert shown and all("." in t and "," not in t for t in shown), english["ticks"]
    assert english["tooltip"] == "Aspek: 3.00"
    assert english["locale"] == "en"
