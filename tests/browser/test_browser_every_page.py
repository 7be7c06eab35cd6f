"""Every page of the application, on a freshly loaded demo (`monev demo`), in the browser at a
laptop's width (1366 px) and a phone's (390 px): no console error, CSP violation or failed
request (conftest.py's watch), no serious or critical axe-core violation (axe_support.py), and
nothing wider than the viewport unless it sits in a box that scrolls sideways
(browser_support.overflow_problems).

The pages are the GET routes of Django's URL resolver (tests/route_walk.py, the API and Django's
admin apart), so a new route fails this test until it is given a representative URL here, or a
reason in SKIPPED. Each is opened by a role that may see it, with ids from the demo; the error
pages (404, 403) too. The role journeys (test_browser_demo_journeys.py) check the pages after
their actions; this test checks every page as it first opens, and again with its <details>
opened (closed, their content is neither laid out nor read by axe).

Every failing page is collected and the test fails once, listing them all, so that one run shows
every problem. The demo is loaded once (10-15 s); each page is then opened at both widths
(about 90 s in all)."""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from urllib.parse import urlsplit

import pytest
from axe_support import describe, serious_violations
from browser_support import DESKTOP, PHONE, indonesian, overflow_problems
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page, expect

from monev.accounts import services as account_services
from monev.accounts.models import User
from monev.demo import data, loader, pemdi_data
from monev.evaluations.models import Answer, Period
from monev.evidence.models import Evidence
from monev.imports import services as import_services
from monev.planning.models import ActionItem
from route_walk import page_routes

WIDTHS = {"1366px": DESKTOP, "390px": PHONE}
SHOWN = 15  # problems listed per page

# Routes with no page of their own to open, each with the reason. The actions are checked to
# answer a GET with 405 (below), so that a page is not skipped by mistake.
POST_ONLY = {
    # Signing out is a button on every page (Django's LogoutView takes POST only).
    "logout",
    # An action posted from the page named after it; its answer is that page again.
    "evaluations:settings_action",  # the period's settings
    "evaluations:settings_item_action",  # the period's settings
    "answers:action",  # the answer
    "evidence:link_create",  # the evidence library
    "evidence:update",  # the evidence's page
    "evidence:add_version",  # the evidence's page
    "evidence:answer_link",  # the answer
    "evidence:answer_upload",  # the answer
    "evidence:answer_unlink",  # the answer
    "monitoring:snapshot_take",  # the monitoring history
    "planning:replan",  # the plan
    "planning:item_done",  # the plan
    "imports:period_upload",  # the period's imports
    "imports:institution_upload",  # the institution's imports
    "imports:apply",  # the import batch
    "imports:discard",  # the import batch
    "external_imports:upload",  # the external values' import
    "external:record",  # the institution's external values
    "transition:generate",  # the transition suggestions
    "transition:accept_indicator",  # the transition suggestions
    "transition:accept",  # the transition suggestions
    "transition:reject",  # the transition suggestions
    "evaluator_imports:upload",  # the evaluator's imports
    "assignments:assign",  # the assignment board
    "assignments:unassign",  # the assignment board
}
SKIPPED = {
    **dict.fromkeys(POST_ONLY, "an action (POST only), not a page"),
    # Files, not pages: what the browser shows of them is the browser's own viewer.
    **dict.fromkeys(
        (
            "evaluations:audit_csv",
            "evidence:readiness_xlsx",
            "evidence:download",
            "reports:download",
            "reports:report_pdf",
            "reports:summary_pdf",
            "reports:institutions_download",
            "imports:template",
            "imports:template_json",
        ),
        "a download, not a page",
    ),
    # Single sign-on is not configured in the demo; both only redirect to the identity provider
    # or back (tests/accounts test them).
    "oidc_authentication_init": "a redirect to the identity provider (no SSO in the demo)",
    "oidc_authentication_callback": "a redirect back from the identity provider",
    # Django's language switch: a redirect to the page the menu was on.
    "set_language": "a redirect (the language menu, checked on every page)",
    # The probes answer plain text for the load balancer.
    "healthz": "a probe (plain text), not a page",
    "readyz": "a probe (plain text), not a page",
}


# Opens every closed <details> of the page; how many it opened.
OPEN_DETAILS = """() => {
  const closed = [...document.querySelectorAll("details:not([open])")];
  closed.forEach(details => { details.open = true; });
  return closed.length;
}"""


@dataclass
class Visit:
    route: str  # namespace:name
    username: str  # "" for a visitor not signed in
    url: str
    status: int = 200


@pytest.fixture
def demo_logins(settings, tmp_path, transactional_db) -> dict[str, str]:
    """The demo, loaded through `monev demo` into the live server's database; its logins."""
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    return {login.username: login.password for login in loader.read_logins(tmp_path)}


def _period(institution: str, year: int) -> Period:
    return Period.objects.get(institution__name=institution, year=year)


def _visits(tmp_path) -> list[Visit]:
    """One URL of every page, and who opens it: Kota Bandung's koordinator and admin for the
    institution's pages, Lombok Timur's koordinator for the move to the new instrument, the
    national evaluator and the external assessor for theirs. The import batch and the API
    token are made here through their services (the demo has none)."""
    bandung = _period(data.INSTITUTION["name"], data.YEAR)
    lotim = _period(pemdi_data.INSTITUTION["name"], pemdi_data.YEAR)
    koordinator = User.objects.get(username="koordinator")
    answer = Answer.objects.filter(period=bandung, indicator="1").get()
    evidence = Evidence.objects.filter(institution=bandung.institution).order_by("pk").first()
    item = ActionItem.objects.filter(plan__period=bandung).order_by("position").first()
    token, _secret = account_services.token_create(actor=koordinator, name="Dasbor dinas")
    levels = tmp_path / "tingkat.csv"
    levels.write_text("Indikator,Tingkat\n1,3\n2,9\n999,2\n", encoding="utf-8")
    batch = import_services.import_preview(
        actor=koordinator, kind="levels", path=levels, filename=levels.name, period_id=bandung.pk
    )
    values = {
        "period_id": bandung.pk,
        "institution_id": bandung.institution_id,
        "answer_id": answer.pk,
        "evidence_id": evidence.pk,
        "item_id": item.pk,
        "token_id": token.pk,
        "batch_id": batch.pk,
        "reference": data.INSTRUMENT,
        "number": "1",
    }
    lotim_values = {"period_id": lotim.pk, "institution_id": lotim.institution_id}
    # Who opens which page, by route; Kota Bandung's koordinator opens the others.
    by = {
        "login": "",
        "evaluations:queue": "asesor.internal",
        "imports:institution": "admin",
        "transition:suggestions": "koordinator.lotim",
        "external:institution": "koordinator.lotim",
        "evaluator_imports:page": "evaluator",
        "external_imports:page": "evaluator",
        "assignments:board": "evaluator",
        "benchmarking:progress": "evaluator",
        "benchmarking:rankings": "evaluator",
        "benchmarking:distributions": "evaluator",
        "benchmarking:peers": "evaluator",
        "reports:institutions": "evaluator",
        "assessor:queue": "asesor.eksternal",
    }
    lotim_routes = {"transition:suggestions", "external:institution"}
    visits = []
    for route in page_routes():
        if route.name in SKIPPED:
            continue
        chosen = {**values, **(lotim_values if route.name in lotim_routes else {})}
        url = route.url({name: str(value) for name, value in chosen.items()})
        visits.append(Visit(route.name, by.get(route.name, "koordinator"), url))
    # The library's search too: its results show the passages found.
    library = next(v for v in visits if v.route == "evidence:library")
    visits.append(Visit("evidence:library", "koordinator", library.url + "?q=arsitektur"))
    # The error pages: a period that does not exist, and the review queue, which is the
    # internal assessor's (the koordinator may not open it).
    queue = next(v for v in visits if v.route == "evaluations:queue")
    visits.append(Visit("(not found)", "koordinator", f"/periode/{10**6}/", 404))
    visits.append(Visit("(forbidden)", "koordinator", queue.url, 403))
    return visits


def _sign_in(page: Page, username: str, password: str) -> None:
    page.context.clear_cookies()
    if not username:
        return
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name=indonesian("Sign out"))).to_be_visible()


def _problems_of(page: Page, page_watch) -> list[str]:
    """What is wrong with the page now: the watch's findings since the last page, axe's serious
    and critical violations, and what passes the viewport's edge; then the same with every
    <details> of the page opened (closed, their content is neither laid out nor read)."""
    problems = list(page_watch.problems)
    page_watch.problems.clear()
    problems += _seen(page)
    if page.evaluate(OPEN_DETAILS):
        problems += [f"with its <details> opened: {p}" for p in _seen(page)]
        problems += page_watch.problems
        page_watch.problems.clear()
    return problems


def _seen(page: Page) -> list[str]:
    problems = []
    violations = serious_violations(page)
    if violations:
        problems.append("axe:\n" + describe(violations))
    return problems + overflow_problems(page)


def _post_only_answers_get_with_405(user: User) -> list[str]:
    """The POST_ONLY routes refuse a GET (405): none of them is a page skipped by mistake."""
    client = Client()
    client.force_login(user)
    wrong = []
    for route in page_routes():
        if route.name not in POST_ONLY:
            continue
        url = route.url({name: "1" for _converter, name in route.parameters})
        status = client.get(url).status_code
        if status != 405:
            wrong.append(f"{route.name}: GET {url} answered {status}, not 405")
    return wrong


def test_every_page_passes_axe_and_fits_both_widths(page, page_watch, demo_logins, tmp_path):
    routes = {route.name for route in page_routes()}
    visits = _visits(tmp_path)
    visited = {v.route for v in visits if v.route in routes}
    assert visited | set(SKIPPED) == routes, "a route is neither visited nor skipped"
    assert not visited & set(SKIPPED), "a route is both visited and skipped"
    failures = _post_only_answers_get_with_405(User.objects.get(username="koordinator"))
    for visit in visits:
        if visit.status != 200:
            page_watch.allow(visit.status, visit.url)

    for username in dict.fromkeys(v.username for v in visits):
        page.set_viewport_size(DESKTOP)
        _sign_in(page, username, demo_logins.get(username, ""))
        page_watch.problems.clear()
        for visit in (v for v in visits if v.username == username):
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)
                response = page.goto(visit.url)
                problems = []
                if response is None or response.status != visit.status:
                    problems.append(f"HTTP {response.status if response else '?'}")
                landed = urlsplit(page.url).path
                if landed != urlsplit(visit.url).path and visit.route != "home":
                    problems.append(f"landed on {landed}")
                problems += _problems_of(page, page_watch)
                if problems:
                    who = username or "a visitor"
                    failures.append(
                        f"{visit.route} {visit.url} as {who} at {width}:\n"
                        + "\n".join(f"  {p}" for p in problems[:SHOWN])
                        + (
                            f"\n  ... and {len(problems) - SHOWN} more"
                            if len(problems) > SHOWN
                            else ""
                        )
                    )
    assert not failures, f"{len(failures)} page(s) with problems:\n\n" + "\n\n".join(failures)
