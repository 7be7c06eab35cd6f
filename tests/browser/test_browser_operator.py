"""The operator of a unit fills in one answer in the browser: from the to-do list to the
submitted answer, with an evidence PDF uploaded on the upload page and linked at a level."""

from __future__ import annotations

import re

from browser_support import GOOD_PDF, indonesian, open_period, period_tab, sign_in
from playwright.sync_api import expect

from monev.evaluations.models import Answer
from monev.evidence.models import Evidence

EXPLANATION = "Kebijakan internal SPBE ditetapkan dengan Perwal 12/2024."


def test_an_operator_fills_in_links_evidence_and_submits_an_answer(page, world, password):
    sign_in(page, "operator", password)
    open_period(page, "Pemerintah Kota Contoh")
    period_tab(page, "Tugas")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        indonesian("What your units still owe")
    )
    first = page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name="1", exact=True))
    expect(first).to_contain_text("Draf")
    first.get_by_role("link").click()

    # Level and penjelasan, saved in place (HTMX): the panel shows the new state.
    save_form = page.locator("form").filter(
        has=page.get_by_role("button", name="Simpan", exact=True)
    )
    save_form.get_by_label("Tingkat").select_option("3")
    save_form.get_by_label("Penjelasan").fill(EXPLANATION)
    save_form.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("status").filter(has_text=indonesian("Answer saved."))).to_be_visible()
    expect(page.locator("#answer-panel")).to_contain_text("versi 2")
    assert Answer.objects.get(pk=world.answer("1").pk).explanation == EXPLANATION

    # The evidence PDF through the upload page: chosen (not dropped), sent with a progress bar.
    answer_url = page.url
    page.goto(f"/data-dukung/instansi/{world.institution.pk}/unggah/")
    page.get_by_label(indonesian("Choose files, or drop them here")).set_input_files(GOOD_PDF)
    item = page.locator(".upload-item")
    expect(item).to_contain_text("good.pdf")
    expect(item.get_by_role("status")).to_have_text(indonesian("Waiting"))
    item.get_by_label("Judul").fill("Perwal 12/2024 tentang SPBE")
    page.get_by_role("button", name="Unggah", exact=True).click()
    expect(item.locator("progress")).to_have_attribute("value", "100")
    expect(item).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(item.get_by_role("status").get_by_role("link")).to_be_visible()

    # Linked from the library at level 3: the readiness checks see it.
    page.goto(answer_url)
    page.get_by_text(indonesian("Link evidence from the library")).click()
    link_form = page.locator("form").filter(
        has=page.get_by_role("button", name="Tautan", exact=True)
    )
    link_form.get_by_label("Data dukung").select_option(
        str(Evidence.objects.get(title="Perwal 12/2024 tentang SPBE").pk)
    )
    link_form.get_by_role("group", name="Pada tingkat").get_by_label("3", exact=True).check()
    link_form.get_by_role("button", name="Tautan", exact=True).click()
    expect(
        page.get_by_role("status").filter(has_text=indonesian("Evidence linked."))
    ).to_be_visible()
    readiness = page.locator("section.readiness")
    expect(readiness.get_by_role("heading", name=indonesian("Readiness checks"))).to_be_visible()
    level_3 = readiness.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^3\b"))
    )
    expect(level_3).to_contain_text("Perwal 12/2024 tentang SPBE")

    # The evidence has no number and no date yet (readiness errors): the submission asks for
    # a confirmation first, and the browser keeps the form until the box is ticked.
    page.get_by_role("button", name="Ajukan").click()
    assert Answer.objects.get(pk=world.answer("1").pk).status == "draft"
    page.get_by_label(indonesian("I am submitting anyway, despite the readiness errors")).check()
    # Submitted (diajukan): the panel says so and the answer leaves the draft state.
    page.get_by_role("button", name="Ajukan").click()
    expect(
        page.get_by_role("status").filter(
            has_text=indonesian("Answer submitted (diajukan) for verification.")
        )
    ).to_be_visible()
    expect(page.locator("#answer-panel dl.facts").first).to_contain_text("Diajukan")
    assert Answer.objects.get(pk=world.answer("1").pk).status == "submitted"
