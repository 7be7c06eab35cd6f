"""Keyboard-only steps: Tab through a page as a keyboard user does, checking on every stop that
the focus is visible and that it moves on (no keyboard trap)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page

# What has the focus, and whether a sighted keyboard user can see where it is.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const label = (el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
  return {
    what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
          + (el.name ? "[" + el.name + "]" : "") + (label ? " “" + label.slice(0, 40) + "”" : ""),
    // The focus may sit inside the element (a date field's calendar button): :focus-within.
    focusVisible: el.matches(":focus-visible")
                  || (el.matches(":focus-within") && !el.matches(":focus")),
    outlined: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadowed: style.boxShadow !== "none",
    onScreen: box.width > 1 && box.height > 1,
  };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def assert_focus_visible(page: Page) -> dict:
    info = focused(page)
    assert info is not None, "nothing has the focus"
    assert info["onScreen"], f"the focused element is not on screen: {info['what']}"
    assert info["focusVisible"] and (info["outlined"] or info["shadowed"]), (
        f"no visible focus indicator on {info['what']}: {info}"
    )
    return info


def has_focus(target: Locator) -> bool:
    return target.evaluate("el => el === document.activeElement")


# A date field takes four Tabs (day, month, year, its calendar button); more is a trap.
MOST_STOPS_IN_ONE_ELEMENT = 4


def check_not_stuck(stops: list[str]) -> None:
    last = stops[-MOST_STOPS_IN_ONE_ELEMENT - 1 :]
    if len(last) > MOST_STOPS_IN_ONE_ELEMENT and len(set(last)) == 1:
        pytest.fail(f"the focus is stuck on {last[0]} (a keyboard trap)")


def tab_to(page: Page, target: Locator, *, limit: int = 60) -> list[str]:
    """Press Tab until `target` has the focus; every stop on the way shows a visible focus and
    the focus moves on. The stops, in order, are returned."""
    stops: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = assert_focus_visible(page)
        stops.append(info["what"])
        check_not_stuck(stops)
        if has_focus(target):
            return stops
    pytest.fail(f"{target} not reached with {limit} Tabs; the focus went: {stops}")


def tab_through(page: Page, *, limit: int = 150) -> list[str]:
    """Tab from the top of the page to its end: every stop shows a visible focus, and the focus
    leaves the page (or wraps to its start) within `limit` Tabs, so nothing traps it."""
    page.locator("body").focus()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is None or (stops and info["what"] == stops[0]):
            return stops  # past the last stop: out of the page, or back to the first
        info = assert_focus_visible(page)
        stops.append(info["what"])
        check_not_stuck(stops)
    pytest.fail(f"the focus did not leave the page within {limit} Tabs: {stops[-10:]}")
