"""The page watch every browser test relies on: it notices console errors, uncaught script
errors, Content-Security-Policy violations and failed same-origin requests."""

from __future__ import annotations


def test_the_watch_reports_console_script_csp_and_http_problems(page, page_watch):
    page.goto("/masuk/")
    with page.expect_console_message(lambda m: "boom" in m.text):
        page.evaluate("console.error('boom')")
    with page.expect_event("pageerror"):
        page.evaluate("setTimeout(() => { throw new Error('uncaught') }, 0)")
    with page.expect_console_message(lambda m: m.text.startswith("CSP violation")):
        # An inline script, which the Content-Security-Policy forbids.
        page.evaluate(
            "const s = document.createElement('script');"
            "s.textContent = 'window.inlineRan = true'; document.body.append(s)"
        )
    assert page.evaluate("window.inlineRan") is None
    page.goto("/tidak-ada/")
    problems = "\n".join(page_watch.problems)
    assert "console error: boom" in problems
    assert "uncaught page error: uncaught" in problems
    assert "CSP violation" in problems
    assert "HTTP 404 GET /tidak-ada/" in problems

    # An expected status is not a problem.
    page_watch.problems.clear()
    page_watch.allow(404, "/tidak-ada/")
    page.goto("/tidak-ada/")
    assert page_watch.problems == []
