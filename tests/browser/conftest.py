"""Browser fixtures: the application on pytest-django's live server, one headless chromium per
run of this directory, a fresh browser context (cookies, storage) per test.

Every page a test opens is watched: a console error, an uncaught script error, a
Content-Security-Policy violation or a failed same-origin request (4xx/5xx, or a request that
never completed) fails the test, unless the test declared that status as expected with
`page_watch.allow(status, path_part)`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tools_support import require_tool

# Seconds, in milliseconds: generous for a loaded CI machine, never slept, only waited on.
TIMEOUT_MS = 15_000

# Chromium echoes every 4xx/5xx response on the console with this prefix.
HTTP_STATUS_ECHO = "Failed to load resource: the server responded with a status of"

# Every CSP violation (enforced or report-only) is also written to the console, so that the
# console listener sees it even when the browser words its own message differently.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
                (event.blockedURI || "inline") + " at " + event.sourceFile + ":" +
                event.lineNumber);
});
"""


@pytest.fixture(scope="package")
def browser():
    """One chromium for the tests of this directory; stopped after the last of them."""
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while it is started;
    # Django then refuses ORM calls from the tests and from the database teardown between
    # them ("You cannot call this from an async context"), although they are plain
    # synchronous calls between browser steps. Allowed only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Root (CI containers) cannot use chromium's sandbox; a normal user keeps it.
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=args
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageWatch:
    """What went wrong on the pages of one test, and which HTTP errors the test expects."""

    origin: str
    problems: list[str] = field(default_factory=list)
    allowed: list[tuple[int, str]] = field(default_factory=list)

    def allow(self, status: int, path_part: str = "") -> None:
        self.allowed.append((status, path_part))

    def same_origin(self, url: str) -> bool:
        return url.startswith(self.origin)

    def on_console(self, message) -> None:
        text = message.text
        if text.startswith(HTTP_STATUS_ECHO):
            return  # the response listener judges statuses (and knows the expected ones)
        if message.type == "error" or "Refused to" in text:
            self.problems.append(f"console {message.type}: {text} ({message.location})")

    def on_page_error(self, error) -> None:
        self.problems.append(f"uncaught page error: {error}")

    def on_response(self, response) -> None:
        if response.status < 400 or not self.same_origin(response.url):
            return
        path = urlsplit(response.url).path
        if any(response.status == s and part in path for s, part in self.allowed):
            return
        self.problems.append(f"HTTP {response.status} {response.request.method} {path}")

    def on_request_failed(self, request) -> None:
        # A download leaves its navigation "aborted": the file still arrived.
        if not self.same_origin(request.url) or request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.method} {request.url} {request.failure}")


@pytest.fixture
def page_watch(live_server) -> PageWatch:
    return PageWatch(origin=live_server.url)


@pytest.fixture
def context(browser, live_server, page_watch):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    yield context
    context.close()


@pytest.fixture
def page(context, page_watch):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    page.on("console", page_watch.on_console)
    page.on("pageerror", page_watch.on_page_error)
    page.on("response", page_watch.on_response)
    page.on("requestfailed", page_watch.on_request_failed)
    yield page
    if page_watch.problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(page_watch.problems))
