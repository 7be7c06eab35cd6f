"""axe-core (through axe-playwright-python, which bundles it) on the page as the browser shows it
now: its serious and critical violations fail the test, each named with the rule, why it
matters, and the elements that break it.

axe is evaluated in the page through the DevTools protocol (`page.evaluate`), which the page's
Content-Security-Policy does not govern: nothing is added to the page's own scripts, and the CSP
watch of conftest.py stays meaningful. Moderate and minor findings are not failures here; the
rules are axe's defaults (WCAG 2.x A and AA, and its best practices)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

FAILING_IMPACTS = ("serious", "critical")
NODES_SHOWN = 5  # per rule, in the failure message

_AXE = Axe()


def serious_violations(page: Page) -> list[dict]:
    """axe's violations of impact serious or critical on the current page."""
    results = _AXE.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:NODES_SHOWN]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {summary}")
        if len(violation["nodes"]) > NODES_SHOWN:
            lines.append(f"    ... and {len(violation['nodes']) - NODES_SHOWN} more")
    return "\n".join(lines)


def assert_no_serious_violations(page: Page, where: str = "") -> None:
    violations = serious_violations(page)
    assert not violations, (
        f"axe found serious or critical violations on {where or page.url}:\n" + describe(violations)
    )
