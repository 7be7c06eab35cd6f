"""The other roles' journeys in the browser: the assessors' judgements, the read-only
pimpinan, an outsider kept out, the language switch and the sign-in lockout."""

from __future__ import annotations

from browser_support import give_levels, indonesian, open_period, period_tab, sign_in
from playwright.sync_api import expect

from monev.evaluations import services
from monev.evaluations.models import Answer, AssessorPass


def submit(world, *indicators: str) -> None:
    give_levels(world, {indicator: "3" for indicator in indicators})
    for indicator in indicators:
        answer = world.answer(indicator)
        services.answer_submit(
            actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version
        )


def open_answer_in_queue(page, number: str) -> None:
    """From any page of the period (the answer page too: back through the breadcrumb)."""
    tabs = page.get_by_role("navigation", name=indonesian("Period pages"))
    if not tabs.is_visible():
        page.get_by_role("navigation", name=indonesian("Breadcrumb")).get_by_role(
            "link"
        ).last.click()
    period_tab(page, indonesian("Review queue"))
    row = page.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=number, exact=True)
    )
    row.get_by_role("link").click()


def test_the_internal_assessor_verifies_one_answer_and_returns_another(page, world, password):
    submit(world, "1", "2")
    sign_in(page, "asesor_internal", password)
    open_period(page, "Pemerintah Kota Contoh")

    open_answer_in_queue(page, "1")
    page.get_by_role("button", name=indonesian("Verify (verifikasi)")).click()
    expect(
        page.get_by_role("status").filter(has_text=indonesian("Answer verified (diverifikasi)."))
    ).to_be_visible()

    open_answer_in_queue(page, "2")
    note = "Lampirkan salinan Perwal yang sudah diundangkan."
    page.get_by_label(indonesian("Note for the unit")).fill(note)
    page.get_by_role("button", name=indonesian("Return (kembalikan) to the unit")).click()
    expect(
        page.get_by_role("status").filter(
            has_text=indonesian("Answer returned (dikembalikan) to the unit.")
        )
    ).to_be_visible()
    expect(page.locator("#answer-panel")).to_contain_text(note)
    assert Answer.objects.get(pk=world.answer("1").pk).status == "verified"
    assert Answer.objects.get(pk=world.answer("2").pk).status == "returned"


def test_the_external_assessor_records_a_document_stage_level(page, world, password):
    give_levels(world, {"1": "3"})
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    sign_in(page, "asesor_eksternal", password)
    open_period(page, "Pemerintah Kota Contoh")
    open_answer_in_queue(page, "1")

    form = page.locator("form").filter(
        has=page.get_by_role("button", name=indonesian("Save the judgement"))
    )
    form.get_by_label(indonesian("Stage")).select_option("document_review")
    form.get_by_label(indonesian("Level")).select_option("2")
    notes = "SOP belum ditetapkan; bukti rapat koordinasi tidak ada."
    form.get_by_label(indonesian("Assessor's notes")).fill(notes)
    form.get_by_role("button", name=indonesian("Save the judgement")).click()
    expect(
        page.get_by_role("status").filter(has_text=indonesian("Assessment saved."))
    ).to_be_visible()
    stages = page.locator("section").filter(
        has=page.get_by_role("heading", name=indonesian("External assessment"))
    )
    expect(stages.locator("tbody")).to_contain_text(notes)
    judgement = AssessorPass.objects.get(answer=world.answer("1"), stage="document_review")
    assert judgement.level == 2 and judgement.notes == notes


def test_pimpinan_sees_the_dashboard_and_answers_without_edit_controls(page, world, password):
    give_levels(world, {str(n): "3" for n in range(1, 11)})
    sign_in(page, "pimpinan", password)
    open_period(page, "Pemerintah Kota Contoh")
    period_tab(page, "Dasbor")
    main = page.get_by_role("main")
    expect(main.locator("canvas").first).to_be_visible()
    # Read-only: no form field and no button in the page's content.
    expect(main.locator("form")).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)

    page.goto(f"/jawaban/{world.answer('1').pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(main.get_by_role("button")).to_have_count(0)
    expect(main.get_by_role("textbox")).to_have_count(0)
    expect(main.get_by_role("combobox")).to_have_count(0)


def test_an_outsider_gets_not_found_for_another_institutions_period(
    page, page_watch, world, password
):
    page_watch.allow(404, f"/periode/{world.period.pk}/")
    sign_in(page, "outsider", password)
    response = page.goto(f"/periode/{world.period.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(indonesian("Cannot continue"))
    expect(page.get_by_role("alert")).to_contain_text(indonesian("Period not found."))
    expect(page.get_by_role("main")).not_to_contain_text("Pemerintah Kota Contoh")


def test_the_language_switches_to_english_and_back(page, world, password):
    sign_in(page, "koordinator", password)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    main_menu = page.get_by_role("navigation", name="Menu utama")
    expect(main_menu.get_by_role("link", name="Periode")).to_be_visible()

    page.get_by_label("Bahasa", exact=True).select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(
        page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Periods")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_label("Language", exact=True).select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(main_menu.get_by_role("link", name="Periode")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def test_five_wrong_passwords_lock_the_sign_in_with_an_indonesian_page(page, page_watch, world):
    page_watch.allow(429, "/masuk/")
    page.goto("/masuk/")
    for attempt in range(1, 6):
        page.get_by_label("Nama pengguna").fill("operator")
        page.get_by_label("Kata sandi").fill(f"salah-{attempt}")
        with page.expect_response(lambda r: r.request.method == "POST") as response_info:
            page.get_by_role("button", name="Masuk").click()
        if attempt < 5:
            assert response_info.value.status == 200
            expect(page.get_by_role("alert")).to_be_visible()
    assert response_info.value.status == 429
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(indonesian("Sign-in locked"))
    expect(page.get_by_role("alert")).to_contain_text("5")
