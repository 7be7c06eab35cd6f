"""The evaluation cycle end to end in the browser (the Django test client), one persona per
step, every step through the pages' forms."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from monev.evaluations import selectors
from monev.evaluations.models import Answer

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_in(html: str, action: str = "", name: str = "version") -> str:
    """The hidden version of the form posting to `action` (the first form if not given)."""
    start = html.index(f'action="{action}"') if action else 0
    found = re.search(rf'name="{name}" value="(\d+)"', html[start:])
    return found[1] if found else "0"


def test_it_runs_the_whole_cycle_through_the_pages(world):
    answer = world.answer("1")
    page = reverse("answers:detail", args=[answer.pk])

    def act(name):
        return reverse("answers:action", args=[answer.pk, name])

    # The operator of unit A finds the answer in their to-do, saves and submits it.
    operator = as_user(world.operator)
    todo = operator.get(reverse("evaluations:todo", args=[world.period.pk])).content.decode()
    assert page in todo
    html = operator.get(page).content.decode()
    text = "Kebijakan internal SPBE ditetapkan dengan Perwal 12/2024."
    operator.post(act("save"), {"level": "3", "explanation": text, "version": version_in(html)})
    html = operator.get(page).content.decode()
    # No evidence linked yet: a readiness error, so the submission is confirmed.
    confirm = {"confirm_readiness_errors": "on"}
    assert operator.post(act("submit"), {"version": version_in(html), **confirm}).status_code == 302
    assert Answer.objects.get(pk=answer.pk).status == "submitted"

    # The internal assessor finds it in the queue and returns it with a note.
    internal = as_user(world.asesor_internal)
    queue = internal.get(reverse("evaluations:queue", args=[world.period.pk])).content.decode()
    assert page in queue
    html = internal.get(page).content.decode()
    note = "Lampirkan salinan Perwal yang sudah diundangkan."
    internal.post(act("return"), {"version": version_in(html, act("return")), "note": note})
    assert Answer.objects.get(pk=answer.pk).status == "returned"

    # The operator sees the note, edits and resubmits (through HTMX this time).
    html = operator.get(page).content.decode()
    assert note in html
    htmx = {"HX-Request": "true"}
    html = operator.post(
        act("save"),
        {"level": "3", "explanation": text + " Salinan terlampir.", "version": version_in(html)},
        headers=htmx,
    ).content.decode()
    html = operator.post(act("submit"), {"version": version_in(html), **confirm}, headers=htmx)
    assert Answer.objects.get(pk=answer.pk).status == "submitted"

    # The internal assessor verifies it.
    html = internal.get(page).content.decode()
    verify = {"version": version_in(html, act("verify"))}
    assert internal.post(act("verify"), verify).status_code == 302
    assert Answer.objects.get(pk=answer.pk).status == "verified"

    # The koordinator closes the self-assessment from the period settings.
    koordinator = as_user(world.koordinator)
    close = reverse("evaluations:settings_action", args=[world.period.pk, "close"])
    assert koordinator.post(close, {"confirm": "on"}).status_code == 302
    assert Answer.objects.get(pk=answer.pk).status == "final_self"

    # The external assessor records the document review level.
    external = as_user(world.asesor_eksternal)
    html = external.get(page).content.decode()
    data = {
        "stage": "document_review",
        "level": "2",
        "notes": "SOP belum ditetapkan.",
        "version_document_review": version_in(html, act("assess"), "version_document_review"),
    }
    assert external.post(act("assess"), data).status_code == 302

    # The koordinator records the institution's response to the provisional level.
    html = koordinator.get(page).content.decode()
    assert "SOP belum ditetapkan." in html
    response = {
        "response": "SOP ditetapkan 2 Juni 2025; lihat data dukung.",
        "version": version_in(html, act("respond")),
    }
    assert koordinator.post(act("respond"), response).status_code == 302

    # The external assessor records the final level.
    data = {"stage": "final", "level": "3", "notes": "Klarifikasi diterima.", "version_final": 0}
    assert external.post(act("assess"), data).status_code == 302

    # The overview now shows the final index, computed by the engine.
    html = koordinator.get(reverse("evaluations:overview", args=[world.period.pk])).content.decode()
    period, access = selectors.period_for_user(world.koordinator, world.period.pk)
    final = selectors.period_overview(period, access).scores["final"]
    assert final.given == 1 and final.result is not None
    assert str(final.result.index.reported).replace(".", ",") in html
    assert final.result.predicate.name in html
    assert re.search(r"stage-final.*?1 dari 47", html, re.S)
    history = koordinator.get(page).content.decode()
    for label in (
        "Dikembalikan",
        "Diverifikasi",
        "Tingkat penilaian dokumen",
        "Tanggapan instansi",
        "Tingkat final",
    ):
        assert label in history
