"""The Content-Security-Policy in a real browser: the pages work under it with no violation
(the fixtures fail a test on any), and it is enforced, not decorative."""

from __future__ import annotations

import pytest
from browser_support import expect_canvas_drawn, give_levels, open_period, period_tab, sign_in
from playwright.sync_api import expect


@pytest.fixture
def assessed(world):
    give_levels(world, {str(n): str(1 + n % 4) for n in range(1, 11)})
    return world


def test_the_dashboard_draws_its_charts_under_the_policy(page, assessed, password):
    sign_in(page, "koordinator", password)
    open_period(page, "Pemerintah Kota Contoh")
    period_tab(page, "Dasbor")
    response = page.reload()
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect_canvas_drawn(page, 'canvas[data-chart="aspect-chart-data"]')
    expect_canvas_drawn(page, 'canvas[data-chart="domain-chart-data"]')
    # htmx was told not to inject its indicator <style>; monev.css carries those rules.
    assert page.locator("head style").count() == 0


def test_the_language_menu_switches_without_inline_script(page, world, password):
    sign_in(page, "koordinator", password)
    page.goto("/periode/")
    page.locator("#language-select").select_option("en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.locator("#language-select").select_option("id")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def test_the_api_docs_render_offline_under_the_policy(page, world):
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Monev SPBE API")
    expect(page.locator(".opblock").first).to_be_visible()


def test_an_injected_inline_script_is_refused(page, world, page_watch):
    page.goto("/masuk/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("() => window.injected === undefined")
    refused = [p for p in page_watch.problems if "CSP violation" in p or "Refused" in p]
    assert refused, page_watch.problems
    page_watch.problems.clear()  # expected here: the point of the test


def test_the_django_admin_works_under_the_policy(page, world, password):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    page.goto("/admin/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()
    page.goto("/admin/accounts/user/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"/admin/accounts/user/{world.operator.pk}/change/")
    expect(page.locator("#user_form")).to_be_visible()
