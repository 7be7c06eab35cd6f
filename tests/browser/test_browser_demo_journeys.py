"""Every role's journey on a freshly loaded demo (`monev demo`, as `make run` loads it), in the
browser, at a laptop's width (1366 px) and a phone's (390 px).

The demo institutions live on their story's day (monev.institutions.clock): Kota Bandung on
23 July 2025, its self-assessment open; Kabupaten Lombok Timur on 20 September 2026, its
self-assessment final and its documents reviewed, the external assessor at the interview stage.
Nothing is reopened or prepared by the test: each journey starts from what a person signing in
with the printed logins would find.

Every page a journey visits is checked, and a page it reached but did not check fails the
journey (`Walk`): no console error, CSP violation or failed request (conftest.py's watch), no
serious or critical axe-core violation (axe_support.py), and nothing wider than the viewport
unless it sits in a box that scrolls sideways (browser_support.assert_fits_the_viewport).
Loading the demo takes 10-15 s, so each test loads it once and walks several roles, signing out
between them."""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO

import pytest
from axe_support import assert_no_serious_violations
from browser_support import DESKTOP, PHONE, assert_fits_the_viewport, indonesian
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from monev.demo import data, loader, pemdi_data
from monev.evaluations.models import Answer, AssessorPass

WIDTHS = [pytest.param(DESKTOP, id="1366px"), pytest.param(PHONE, id="390px")]

BANDUNG = data.INSTITUTION["name"]
LOMBOK_TIMUR = pemdi_data.INSTITUTION["name"]
EXPLANATION = "Peta proses bisnis baru disusun ulang; diisi ulang dalam uji peramban."
RETURN_REASON = "Lampirkan SK yang sudah ditandatangani (uji peramban)."


@pytest.fixture
def demo_logins(settings, tmp_path, transactional_db) -> dict[str, str]:
    """The demo, loaded through `monev demo` into the live server's database; its logins."""
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    return {login.username: login.password for login in loader.read_logins(tmp_path)}


def in_indonesian(text) -> str:
    """A lazy label (a model choice's) as the Indonesian pages show it."""
    with translation.override("id"):
        return str(text)


def indonesian_count(singular: str, plural: str, count: int) -> str:
    with translation.override("id"):
        return translation.ngettext(singular, plural, count) % {"count": count}


def score(value: Decimal) -> str:
    """A published or computed index as the Indonesian pages write it: 3,00."""
    return f"{value:.2f}".replace(".", ",")


class Walk:
    """One browser tab walking the demo: signs in as each role in turn, and checks the pages it
    visits. Every page the tab navigates to is recorded, and signing out fails the walk if one
    of them was never checked."""

    def __init__(self, page: Page, logins: dict[str, str]):
        self.page = page
        self.logins = logins
        self.visited: list[str] = []
        self.checked: set[str] = set()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(frame.url)

    def check(self, what: str) -> None:
        """The page as it is now (after an in-place update too): axe, and the width."""
        where = f"{what} ({self.page.url})"
        assert self.page.url in self.visited, f"{where}: its navigation was not recorded"
        assert_no_serious_violations(self.page, where)
        assert_fits_the_viewport(self.page, where)
        self.checked.add(self.page.url)

    def check_once(self, what: str) -> None:
        """A page that is the same every time (the sign-in form): checked the first time."""
        if self.page.url not in self.checked:
            self.check(what)

    def sign_in(self, username: str) -> None:
        page = self.page
        page.goto("/masuk/")
        self.check_once("the sign-in page")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(self.logins[username])
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("button", name=indonesian("Sign out"))).to_be_visible()
        self.check(f"{username}'s landing page")

    def sign_out(self) -> None:
        self.page.get_by_role("button", name=indonesian("Sign out")).click()
        expect(self.page.get_by_label("Nama pengguna")).to_be_visible()
        self.check_once("the sign-in page")
        unchecked = [url for url in self.visited if url not in self.checked]
        assert not unchecked, f"pages visited but not checked: {unchecked}"

    # --- where things are -----------------------------------------------------------------------

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def period_row(self, institution: str, year: int) -> Locator:
        """The institution's period of that year in the period list."""
        return (
            self.page.get_by_role("row")
            .filter(has=self.page.get_by_role("rowheader", name=re.compile(re.escape(institution))))
            .filter(has=self.page.get_by_role("cell", name=str(year), exact=True))
        )

    def tab(self, msgid: str) -> None:
        self.page.get_by_role("navigation", name=indonesian("Period pages")).get_by_role(
            "link", name=indonesian(msgid), exact=True
        ).click()

    def row_of(self, number: str) -> Locator:
        return self.page.locator("tbody tr").filter(
            has=self.page.get_by_role("rowheader", name=number, exact=True)
        )

    def answer_facts(self) -> Locator:
        return self.page.locator("#answer-panel dl.facts").first

    def notice(self, msgid: str) -> Locator:
        return self.page.get_by_role("status").filter(has_text=indonesian(msgid))


# --- Kota Bandung, 23 July 2025 ---------------------------------------------------------------


def pimpinan_reads_the_leaders_view(walk: Walk) -> None:
    page = walk.page
    walk.sign_in("pimpinan")
    expect(page).to_have_url(re.compile(r"/laporan/periode/\d+/pimpinan/$"))
    expect(walk.heading()).to_contain_text(indonesian("Leader's view"))
    last_year = next(p for p in data.PUBLISHED_HISTORY if p.year == data.YEAR - 1)
    expect(page.locator("[data-figure=index]")).to_have_text(score(data.SELF_ASSESSED_INDEX))
    expect(page.locator("[data-figure=target]")).to_have_text(score(data.TARGET))
    expect(page.locator("#figure-last-year dt")).to_contain_text(str(last_year.year))
    expect(page.locator("[data-figure=last-year]")).to_have_text(score(last_year.index))
    gains = page.locator("li.leader-gain")
    expect(gains.first).to_be_visible()
    assert 1 <= gains.count() <= 10
    walk.sign_out()


def operator_saves_and_submits_a_draft(walk: Walk) -> str:
    """The operator's to-do list, a draft answer lowered and explained, submitted past its
    readiness errors once the box is ticked; then it takes no second submission. Returns the
    answer's number."""
    page = walk.page
    walk.sign_in("operator")
    walk.period_row(BANDUNG, data.YEAR).get_by_role("link", name=indonesian("To-do")).click()
    expect(walk.heading()).to_have_text(indonesian("What your units still owe"))
    walk.check("the operator's to-do list")
    operator = next(user for user in data.USERS if user.username == "operator")
    names = {code: name for code, name, _short in data.UNITS}
    for code in operator.units:
        expect(page.get_by_role("main")).to_contain_text(names[code])

    draft = (
        page.locator("tbody tr")
        .filter(has=page.get_by_role("cell", name=in_indonesian(Answer.Status.DRAFT.label)))
        .first
    )
    number = draft.locator("th").first.inner_text().strip()
    draft.get_by_role("link").first.click()
    expect(walk.heading()).to_contain_text(f"{number}. ")
    walk.check("a draft answer")

    # Saved in place (HTMX): a lower level, so the plan built on the old one goes stale.
    save_form = page.locator("form").filter(
        has=page.get_by_role("button", name=indonesian("Save"), exact=True)
    )
    level = save_form.get_by_label(indonesian("Level"))
    lower = str(int(level.input_value()) - 1)
    level.select_option(lower)
    save_form.get_by_label(indonesian("Penjelasan")).fill(EXPLANATION)
    save_form.get_by_role("button", name=indonesian("Save"), exact=True).click()
    expect(walk.notice("Answer saved.")).to_be_visible()
    expect(page.get_by_label(indonesian("Penjelasan"))).to_have_value(EXPLANATION)
    walk.check("the answer after saving")

    # Its evidence does not back the level: the readiness errors ask for a confirmation, and
    # the browser keeps the form until the box is ticked.
    readiness = page.locator("section.readiness")
    expect(readiness.get_by_role("listitem").first).to_be_visible()
    confirm = page.get_by_label(indonesian("I am submitting anyway, despite the readiness errors"))
    expect(confirm).to_be_visible()
    submit = page.get_by_role("button", name=indonesian("Submit (ajukan)"))
    submit.click()
    assert confirm.evaluate("box => box.validity.valueMissing")
    expect(walk.answer_facts()).to_contain_text(in_indonesian(Answer.Status.DRAFT.label))
    confirm.check()
    submit.click()
    expect(walk.notice("Answer submitted (diajukan) for verification.")).to_be_visible()
    expect(walk.answer_facts()).to_contain_text(in_indonesian(Answer.Status.SUBMITTED.label))

    # Submitted: no second submission, and the page says why.
    again = page.get_by_role("button", name=indonesian("Submit (ajukan)"))
    expect(again).to_be_disabled()
    expect(again).to_have_accessible_description(
        indonesian("Only a draft or returned answer can be submitted.")
    )
    walk.check("the answer after submitting")
    walk.sign_out()
    return number


def asesor_internal_verifies_it(walk: Walk, number: str) -> None:
    page = walk.page
    walk.sign_in("asesor.internal")
    walk.period_row(BANDUNG, data.YEAR).get_by_role("link", name=indonesian("Review queue")).click()
    expect(walk.heading()).to_have_text(indonesian("Review queue"))
    walk.check("the review queue")
    walk.row_of(number).get_by_role("link").first.click()
    expect(walk.heading()).to_contain_text(f"{number}. ")
    walk.check("a submitted answer, for review")
    page.get_by_role("button", name=indonesian("Verify (verifikasi)")).click()
    expect(walk.notice("Answer verified (diverifikasi).")).to_be_visible()
    expect(walk.answer_facts()).to_contain_text(in_indonesian(Answer.Status.VERIFIED.label))
    walk.check("the answer after verifying")
    walk.sign_out()


def koordinator_follows_up(walk: Walk) -> None:
    """Overview, deadlines, readiness, the stale plan re-planned, an answer returned through
    the bulk actions."""
    page = walk.page
    walk.sign_in("koordinator")
    walk.period_row(BANDUNG, data.YEAR).get_by_role("link", name=BANDUNG).click()
    expect(walk.heading()).to_contain_text(BANDUNG)
    walk.check("the period overview")

    walk.tab("Deadlines")
    expect(walk.heading()).to_contain_text(indonesian("Deadlines"))
    owed = page.get_by_role("region", name=indonesian("What the units still owe"))
    expect(owed.get_by_role("heading", level=3).first).to_be_visible()
    walk.check("the deadlines")

    owed.get_by_role("link", name=indonesian("its readiness findings")).first.click()
    expect(walk.heading()).to_contain_text(indonesian("Evidence readiness"))
    expect(page.locator("main tbody tr").first).to_be_visible()
    walk.check("the readiness findings")

    # The operator lowered a level: the plan says it is stale and offers to re-plan.
    walk.tab("Plan")
    stale = page.locator("[data-plan=stale]")
    expect(stale).to_be_visible()
    walk.check("the stale plan")
    stale.get_by_role("button", name=indonesian("Re-plan from the levels now")).click()
    expect(page.locator("[data-plan=stale]")).to_have_count(0)
    walk.check("the plan, re-planned")

    # One submitted answer returned to its unit: chosen, previewed, confirmed.
    walk.tab("Bulk actions")
    expect(walk.heading()).to_have_text(indonesian("Bulk actions"))
    walk.check("the bulk actions")
    page.get_by_label(indonesian("Return to the unit"), exact=True).check()
    page.get_by_label(indonesian("The answers ticked in the list"), exact=True).check()
    page.locator(".bulk-answers summary").click()
    submitted = (
        page.locator(".bulk-answers tbody tr")
        .filter(has=page.get_by_role("cell", name=in_indonesian(Answer.Status.SUBMITTED.label)))
        .first
    )
    chosen = submitted.get_by_role("rowheader").inner_text().strip()
    submitted.get_by_role("checkbox").check()
    walk.check("the bulk actions, an answer ticked")
    page.get_by_label(indonesian("Reason (recorded on every answer)")).fill(RETURN_REASON)
    page.get_by_role("button", name=indonesian("Preview"), exact=True).click()
    preview = page.locator("section.bulk-preview")
    expect(preview).to_contain_text(
        indonesian_count("%(count)s answer would change.", "%(count)s answers would change.", 1)
    )
    expect(preview.get_by_role("rowheader")).to_have_text(chosen)
    walk.check("the bulk preview")
    preview.get_by_role("button").click()
    done = indonesian("Done: %(action)s").split("%")[0]
    expect(
        page.get_by_role("heading", level=2, name=re.compile("^" + re.escape(done)))
    ).to_be_visible()
    walk.check("the bulk result")
    page.get_by_role("main").get_by_role("rowheader").first.get_by_role("link").click()
    expect(walk.answer_facts()).to_contain_text(in_indonesian(Answer.Status.RETURNED.label))
    walk.check("the returned answer")
    walk.sign_out()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_kota_bandungs_roles_walk_their_journeys(page, demo_logins, viewport):
    page.set_viewport_size(viewport)
    walk = Walk(page, demo_logins)
    pimpinan_reads_the_leaders_view(walk)
    number = operator_saves_and_submits_a_draft(walk)
    asesor_internal_verifies_it(walk, number)
    koordinator_follows_up(walk)


# --- Kabupaten Lombok Timur, 20 September 2026, and the national evaluator ----------------------


def a_final_answer_is_locked(walk: Walk) -> None:
    """The koordinator of Lombok Timur on an answer of the final self-assessment: Save and
    Submit are there but disabled, and the state note says why. (The demo's Lombok Timur
    operator has no answer of their own units: the demo assigns none.)"""
    page = walk.page
    walk.sign_in("koordinator.lotim")
    walk.period_row(LOMBOK_TIMUR, pemdi_data.YEAR).get_by_role("link", name=LOMBOK_TIMUR).click()
    expect(walk.heading()).to_contain_text(LOMBOK_TIMUR)
    walk.check("the period overview")
    walk.row_of("1").get_by_role("link").first.click()
    expect(walk.heading()).to_contain_text("1. ")
    expect(walk.answer_facts()).to_contain_text(in_indonesian(Answer.Status.FINAL.label))
    why = indonesian("This answer is locked as final mandiri; only the coordinator can reopen it.")
    expect(page.locator("#answer-state")).to_contain_text(why)
    for msgid in ("Save", "Submit (ajukan)"):
        button = page.locator("#answer-panel").get_by_role(
            "button", name=indonesian(msgid), exact=True
        )
        expect(button).to_be_disabled()
        expect(button).to_have_accessible_description(re.compile(re.escape(why)))
    walk.check("a final answer")
    walk.sign_out()


def asesor_eksternal_judges_items_at_the_interview(walk: Walk) -> None:
    page = walk.page
    interview = in_indonesian(AssessorPass.Stage.INTERVIEW.label)
    walk.sign_in("asesor.eksternal")
    page.get_by_role("navigation", name=indonesian("Main menu")).get_by_role(
        "link", name=indonesian("My assessment queue")
    ).click()
    expect(walk.heading()).to_have_text(indonesian("My assessment queue"))
    walk.check("the assessor's queue")
    waiting = page.locator("tbody tr").filter(has_text=LOMBOK_TIMUR).filter(has_text=interview)
    waiting.first.get_by_role("link").first.click()
    walk.check("an answer waiting for the interview")

    page.get_by_role("navigation", name=indonesian("Assessment stage of the items")).get_by_role(
        "link", name=interview, exact=True
    ).click()
    items = page.get_by_role("region", name=re.compile(re.escape(interview) + "$"))
    expect(items).to_be_visible()
    walk.check("the item checklist at the interview")
    item_prefix = indonesian("Judgement of item %(number)s").split("%")[0]
    first_item = items.get_by_role("group", name=re.compile("^" + re.escape(item_prefix))).first
    first_item.get_by_label(indonesian("Accepted"), exact=True).check()
    items.get_by_role("button", name=indonesian("Save the item judgements")).click()
    expect(walk.notice("Item judgements saved.")).to_be_visible()
    expect(
        page.get_by_role("group", name=re.compile("^" + re.escape(item_prefix))).first.get_by_label(
            indonesian("Accepted"), exact=True
        )
    ).to_be_checked()
    walk.check("the item checklist, saved")
    walk.sign_out()


def evaluator_follows_the_round(walk: Walk) -> None:
    """The national evaluator lands on the round's progress; the rankings of 2024 from the
    published results: the filters give way to the round that exists."""
    page = walk.page
    walk.sign_in("evaluator")
    expect(page).to_have_url(re.compile(r"/evaluasi-nasional/kemajuan/$"))
    expect(walk.heading()).to_contain_text(indonesian("Progress of the evaluation"))
    page.get_by_role("navigation", name=indonesian("Evaluation of many institutions")).get_by_role(
        "link", name=indonesian("Ranking")
    ).click()
    expect(walk.heading()).to_contain_text(indonesian("Ranking"))
    walk.check("the rankings")

    filters = page.get_by_role("search")
    filters.get_by_label(indonesian("Year")).select_option("2024")
    filters.get_by_label(indonesian("Source")).select_option("published")
    filters.get_by_role("button", name=indonesian("Show")).click()
    expect(walk.heading()).to_contain_text("2024")
    expect(page.get_by_role("status").filter(has_text="2024")).to_be_visible()
    published = next(p for p in data.PUBLISHED_HISTORY if p.year == 2024)
    bandung = page.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=BANDUNG, exact=True)
    )
    expect(bandung).to_contain_text(score(published.index))
    walk.check("the rankings of 2024, published")
    walk.sign_out()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_lombok_timur_and_the_national_evaluator_walk_their_journeys(page, demo_logins, viewport):
    page.set_viewport_size(viewport)
    walk = Walk(page, demo_logins)
    a_final_answer_is_locked(walk)
    asesor_eksternal_judges_items_at_the_interview(walk)
    evaluator_follows_the_round(walk)
