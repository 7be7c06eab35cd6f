"""Keyboard-only use of the main forms: signing in, filling in an answer, saving and submitting
it with Tab, typing, Enter and Space, with a visible focus on every stop and no trap."""

from __future__ import annotations

import re

import pytest
from browser_support import GOOD_PDF, indonesian, sign_in
from keyboard_support import assert_focus_visible, tab_through, tab_to
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from monev.evaluations.models import Answer
from monev.evidence.models import Evidence

EXPLANATION = "SOP layanan SPBE ditetapkan dan dipublikasikan."


def test_an_operator_signs_in_fills_in_saves_and_submits_with_the_keyboard_only(
    page, world, password
):
    answer = world.answer("1")
    page.goto(f"/masuk/?next=/jawaban/{answer.pk}/")

    # Sign in: the username has the focus, then password, then the button.
    expect(page.get_by_label("Nama pengguna")).to_be_focused()
    page.keyboard.type("operator")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kata sandi")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Masuk")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/jawaban/{answer.pk}/$"))

    # The answer form, in reading order: level, then penjelasan, then Simpan.
    save_button = page.get_by_role("button", name=indonesian("Save"), exact=True)
    form = page.locator("form").filter(has=save_button)
    level = form.get_by_label(indonesian("Level"))
    explanation = form.get_by_label("Penjelasan")
    tab_to(page, level)
    page.keyboard.type("3")
    expect(level).to_have_value("3")
    tab_to(page, explanation, limit=3)
    page.keyboard.type(EXPLANATION)
    tab_to(page, save_button, limit=3)
    page.keyboard.press("Enter")
    # The panel is replaced; the focus moves to the message, not back to the top of the page.
    expect(page.get_by_role("status").filter(has_text=indonesian("Answer saved."))).to_be_focused()
    assert_focus_visible(page)
    saved = Answer.objects.get(pk=answer.pk)
    assert (saved.level, saved.explanation) == (3, EXPLANATION)

    # No evidence yet (a readiness error): the box confirming the submission, ticked with
    # Space, then Submit (ajukan), pressed with Space.
    confirm = page.get_by_label(indonesian("I am submitting anyway, despite the readiness errors"))
    stops = tab_to(page, confirm, limit=10)
    # From the message on, in reading order: level, penjelasan, Simpan, then the box.
    assert [stop.split("[")[0].split(" ")[0] for stop in stops[-4:-1]] == [
        "select#id_save_level",
        "textarea#id_save_explanation",
        "button",
    ], stops
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    submit_button = page.get_by_role("button", name=indonesian("Submit (ajukan)"))
    tab_to(page, submit_button, limit=2)
    page.keyboard.press("Space")
    expect(
        page.get_by_role("status").filter(
            has_text=indonesian("Answer submitted (diajukan) for verification.")
        )
    ).to_be_focused()
    assert Answer.objects.get(pk=answer.pk).status == "submitted"


def test_the_answer_page_can_be_tabbed_through_without_a_trap(page, world, password):
    sign_in(page, "operator", password)
    page.goto(f"/jawaban/{world.answer('1').pk}/")
    stops = tab_through(page)
    # In reading order: the menu first, the answer form before the comments.
    first_field = next(i for i, s in enumerate(stops) if s.startswith("select#id_save_level"))
    comment = next(i for i, s in enumerate(stops) if s.startswith("textarea#id_comment_body"))
    assert stops[0].startswith("a “Monev SPBE”") and first_field < comment, stops


def open_chooser_with_space(page, chooser):
    """Space on the focused file input opens the file chooser. Seen once in CI under load: the
    first press's chooser event never arrived (the interception of the native dialog is set up
    asynchronously); a second press, still from the keyboard, is what a person would do."""
    for timeout in (5_000, 15_000):
        try:
            with page.expect_file_chooser(timeout=timeout) as chooser_info:
                page.keyboard.press("Space")
            return chooser_info.value
        except PlaywrightTimeoutError:
            assert chooser.evaluate("element => element === document.activeElement")
    pytest.fail("Space on the focused file input opened no file chooser")


def test_an_operator_uploads_evidence_with_the_keyboard_only(page, world, password):
    sign_in(page, "operator", password)
    page.goto(f"/data-dukung/instansi/{world.institution.pk}/unggah/")
    chooser = page.get_by_label(indonesian("Choose files, or drop them here"))
    tab_to(page, chooser)
    open_chooser_with_space(page, chooser).set_files(GOOD_PDF)
    item = page.locator(".upload-item")
    expect(item).to_contain_text("good.pdf")
    # The shared title gives way to each file's own title (hidden, so not a Tab stop either).
    expect(page.locator("#id_title")).to_be_hidden()
    # The new file's own fields come next in the Tab order, then the upload button.
    title = item.get_by_label(indonesian("Title"))
    tab_to(page, title, limit=3)
    page.keyboard.press("Control+A")
    page.keyboard.type("Perwal 12/2024 tentang SPBE")
    tab_to(page, page.get_by_role("button", name=indonesian("Upload"), exact=True), limit=30)
    page.keyboard.press("Enter")
    expect(item).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(item.get_by_role("status").get_by_role("link")).to_be_visible()
    assert Evidence.objects.filter(title="Perwal 12/2024 tentang SPBE").exists()
