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


# The two widths the demo journeys (test_browser_demo_journeys.py) are walked at: a laptop
# and a phone.
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# What passes the viewport's right edge: the page's own width, and every shown element whose
# right edge lies beyond it while no ancestor scrolls sideways (a `.table-scroll` box, whose
# content may be as wide as it likes). Only the innermost such elements are named: an element
# is listed when none of its children is. Hidden content (a closed <details>) is not laid out
# for the person reading, so it is left out.
OVERFLOWING = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const shown = el => {
    const box = el.getBoundingClientRect();
    return (box.width > 0 || box.height > 0) && el.checkVisibility();
  };
  const past = el => el.getBoundingClientRect().right > width + 0.5;
  const inScroller = el => {
    for (let box = el.parentElement; box && box !== root; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  const offends = el => shown(el) && past(el) && !inScroller(el);
  const named = el => {
    const classes = [...el.classList].map(c => "." + c).join("");
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    const right = Math.round(el.getBoundingClientRect().right);
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes} `
      + `(right edge ${right}px) “${text}”`;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (offends(el) && ![...el.children].some(offends)) offenders.push(named(el));
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, offenders: offenders};
}"""


def overflow_problems(page: Page) -> list[str]:
    """Why the page does not fit its viewport's width (empty: it fits)."""
    found = page.evaluate(OVERFLOWING)
    problems = []
    if found["scrollWidth"] > found["clientWidth"]:
        problems.append(
            f"the page is {found['scrollWidth']}px wide in a {found['clientWidth']}px viewport"
        )
    problems += [f"past the right edge, outside a scrolling box: {o}" for o in found["offenders"]]
    return problems


def assert_fits_the_viewport(page: Page, where: str = "") -> None:
    problems = overflow_problems(page)
    assert not problems, f"{where or page.url} is wider than the viewport:\n" + "\n".join(
        f"- {problem}" for problem in problems[:15]
    )
