"""Steps the browser journeys share: signing in through the form, opening a period's pages."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

# A real PDF with a text layer (tests/evidence/fixtures): uploads check the content type.
GOOD_PDF = Path(__file__).parent.parent / "evidence" / "fixtures" / "good.pdf"


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the login form, as a person would, and land on the period list."""
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def open_period(page: Page, institution_name: str) -> None:
    """From the period list, open a period's overview by its institution's name."""
    page.goto("/periode/")
    page.get_by_role("link", name=institution_name).first.click()
    expect(page.get_by_role("navigation", name="Halaman periode")).to_be_visible()


def period_tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Halaman periode").get_by_role("link", name=name).click()


def indonesian(msgid: str) -> str:
    """The Indonesian text the page shows for an English msgid (the catalogue's wording)."""
    from django.utils import translation

    with translation.override("id"):
        return translation.gettext(msgid)


def give_levels(world, levels: dict[str, str]) -> None:
    """Self-assessed levels saved through the service (the koordinator may save any answer)."""
    from decimal import Decimal

    from monev.evaluations import services

    for indicator, level in levels.items():
        answer = world.answer(indicator)
        services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal(level),
            explanation="Diisi untuk uji peramban.",
        )


# True once the canvas has at least one pixel that is not fully transparent.
CANVAS_HAS_PIXELS = """canvas => {
  if (!canvas.width || !canvas.height) return false;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
  return false;
}"""


def expect_canvas_drawn(page: Page, selector: str) -> None:
    """Wait (no sleeping) until the chart in `selector` has drawn pixels."""
    canvas = page.locator(selector)
    expect(canvas).to_be_visible()
    page.wait_for_function(
        f"selector => ({CANVAS_HAS_PIXELS})(document.querySelector(selector))", arg=selector
    )
