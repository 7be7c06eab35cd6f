"""The koordinator's pages in the browser: overview, the responsible-unit matrix, the dashboard
charts, what-if, the optimal plan and the downloads on the Laporan tab."""

from __future__ import annotations

import re

import pytest
from browser_support import (
    expect_canvas_drawn,
    give_levels,
    indonesian,
    open_period,
    period_tab,
    sign_in,
)
from playwright.sync_api import expect

from monev.evaluations.models import AnswerUnit


@pytest.fixture
def assessed(world):
    give_levels(world, {str(n): str(1 + n % 4) for n in range(1, 21)})
    return world


def test_the_koordinator_assigns_units_in_the_matrix(page, world, password):
    sign_in(page, "koordinator", password)
    open_period(page, "Pemerintah Kota Contoh")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pemerintah Kota Contoh")
    period_tab(page, "Unit penanggung jawab")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        indonesian("Responsible units per indicator")
    )
    cell = page.get_by_label("11 – Dinas A", exact=True)
    expect(cell).not_to_be_checked()
    cell.check()
    page.get_by_role("button", name=indonesian("Save the matrix")).click()
    expect(page.get_by_role("status")).to_contain_text("1 indikator")
    expect(page.get_by_label("11 – Dinas A", exact=True)).to_be_checked()
    assert AnswerUnit.objects.filter(answer=world.answer("11"), unit=world.unit_a).exists()


def test_the_koordinator_sees_drawn_charts_tries_what_if_and_computes_a_plan(
    page, assessed, password
):
    sign_in(page, "koordinator", password)
    open_period(page, "Pemerintah Kota Contoh")
    period_tab(page, "Dasbor")
    expect(page.get_by_role("heading", level=1)).to_contain_text(indonesian("Dashboard"))
    expect_canvas_drawn(page, 'canvas[data-chart="aspect-chart-data"]')
    expect_canvas_drawn(page, 'canvas[data-chart="domain-chart-data"]')

    # What-if: changing one level recomputes the index in place, nothing saved.
    period_tab(page, "Rencana")
    page.get_by_role("link", name=indonesian("What-if: try levels yourself")).click()
    result = page.locator("#what-if-result")
    before = result.locator('[data-what-if="index"]').inner_text()
    field = page.locator("#id_level-1")
    field.fill("5")
    field.dispatch_event("change")
    expect(result.locator('[data-what-if="index"]')).not_to_have_text(before)
    expect(result.locator("tbody").first).to_contain_text("+")

    # The optimal plan to a target.
    period_tab(page, "Rencana")
    page.get_by_label(indonesian("Target")).fill("2.5")
    page.get_by_role("button", name=indonesian("Compute the optimal plan")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        indonesian("The optimal plan is computed.")
    )
    expect(page.get_by_role("heading", name=indonesian("Current plan"))).to_be_visible()


def test_the_koordinator_downloads_a_workbook_and_the_pdf_report(page, assessed, password):
    sign_in(page, "koordinator", password)
    open_period(page, "Pemerintah Kota Contoh")
    period_tab(page, "Laporan")
    expect(page.get_by_role("heading", level=1)).to_have_text(indonesian("Reports and downloads"))

    workbook = page.locator("ul.downloads li[data-export]").first.get_by_role("link")
    with page.expect_download() as download_info:
        workbook.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        assert file.read(2) == b"PK"  # a zip: the xlsx container

    with page.expect_download() as download_info:
        page.get_by_role("link", name=indonesian("Full report (PDF)")).click()
    download = download_info.value
    assert re.search(r"\.pdf$", download.suggested_filename)
    with open(download.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"
