"""The "Peralihan instrumen" tab and page: shown to the coordinator of a period whose
previous one ran under an instrument with a crosswalk into its own, with the judgement
statement; accept and reject with HTMX and without JavaScript; refused to everyone else;
a fixed number of queries however many suggestions there are."""

from __future__ import annotations

import pytest
from django.urls import reverse
from transition_support import (
    more_old_evidence,
    new_period,
    transition_fixture,  # noqa: F401  (the `transition` fixture)
)

from monev.evidence.models import EvidenceLink
from monev.transition import services
from monev.transition.models import CrosswalkSuggestion

STATEMENT = "Penilaian penulis, bukan pemetaan resmi"
HTMX = {"HX-Request": "true"}


def page(t):
    return reverse("transition:suggestions", args=[t.new.pk])


def generate(t):
    services.suggestions_generate(actor=t.world.koordinator, period_id=t.new.pk)


def row(t, indicator, kind, **filters):
    return CrosswalkSuggestion.objects.get(period=t.new, indicator=indicator, kind=kind, **filters)


def test_the_tab_shows_for_the_coordinator_of_the_new_period_only(client, transition):
    world = transition.world
    client.force_login(world.koordinator)
    tab = reverse("transition:suggestions", args=[transition.new.pk])
    overview = client.get(reverse("evaluations:overview", args=[transition.new.pk]))
    assert tab in overview.content.decode()
    assert "Peralihan instrumen" in overview.content.decode()
    old = client.get(reverse("evaluations:overview", args=[transition.old.pk]))
    assert "/peralihan/" not in old.content.decode()  # spbe-2020: no crosswalk into it
    client.force_login(world.operator)
    overview = client.get(reverse("evaluations:overview", args=[transition.new.pk]))
    assert tab not in overview.content.decode()


def test_no_tab_when_the_previous_period_used_the_same_instrument(client, world):
    same = new_period(world, previous=world.period, instrument="spbe-2020")
    client.force_login(world.koordinator)
    response = client.get(reverse("evaluations:overview", args=[same.pk]))
    assert "/peralihan/" not in response.content.decode()
    page = client.get(reverse("transition:suggestions", args=[same.pk]))
    assert page.status_code == 200
    assert "tidak ada yang dapat dibawa" in page.content.decode()


def test_the_page_shows_the_judgement_and_the_suggestions_by_indicator(client, transition):
    generate(transition)
    client.force_login(transition.world.koordinator)
    response = client.get(page(transition))
    assert response.status_code == 200
    html = response.content.decode()
    assert STATEMENT in html
    assert "penilaian, bukan pemetaan resmi" in html
    assert 'id="indicator-1"' in html and 'id="indicator-20"' in html
    assert "Perwal 12/2024 tentang SPBE" in html
    assert "Rencana dan anggaran SPBE terpadu dalam RKPD 2025." in html
    assert "Kebijakan dan dokumen arsitektur" in html  # the crosswalk's note for Pemdi 1
    assert "18 menunggu, 0 diterima, 0 ditolak." in html


def test_making_suggestions_from_the_page(client, transition):
    client.force_login(transition.world.koordinator)
    response = client.post(reverse("transition:generate", args=[transition.new.pk]))
    assert response.status_code == 302
    assert CrosswalkSuggestion.objects.filter(period=transition.new).count() == 18
    followed = client.get(response.url)
    assert "18 usulan baru; seluruhnya 18." in followed.content.decode()


def test_accepting_without_javascript_comes_back_to_the_indicator(client, transition):
    generate(transition)
    client.force_login(transition.world.koordinator)
    suggestion = row(transition, "1", "evidence", evidence__title="Perwal 12/2024 tentang SPBE")
    response = client.post(
        reverse("transition:accept", args=[suggestion.pk]),
        {"level": "2", "version": transition.new_answer("1").version},
    )
    assert response.status_code == 302
    assert response.url.endswith("#indicator-1")
    assert EvidenceLink.objects.filter(answer=transition.new_answer("1"), level=2).count() == 1


def test_accepting_with_htmx_swaps_the_indicator_block(client, transition):
    generate(transition)
    client.force_login(transition.world.koordinator)
    suggestion = row(transition, "3", "answer")
    answer = transition.new_answer("3")
    response = client.post(
        reverse("transition:accept", args=[suggestion.pk]),
        {"version": answer.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="indicator-3"')
    assert "Diterima" in html
    answer.refresh_from_db()
    assert answer.explanation.startswith("[Dari SPBE 2020 (2025), indikator 25]")
    assert answer.level is None


def test_a_stale_version_answers_409_in_place_and_nothing_is_lost(client, transition):
    generate(transition)
    client.force_login(transition.world.koordinator)
    suggestion = row(transition, "3", "answer")
    answer = transition.new_answer("3")
    stale = answer.version
    from monev.evaluations import services as evaluation_services

    evaluation_services.answer_save(
        actor=transition.world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=None,
        explanation="Ditulis operator.",
    )
    url = reverse("transition:accept", args=[suggestion.pk])
    response = client.post(url, {"version": stale}, headers=HTMX)
    assert response.status_code == 409
    assert "Orang lain menyimpan jawaban ini" in response.content.decode()
    plain = client.post(url, {"version": stale})
    assert plain.status_code == 409
    assert STATEMENT in plain.content.decode()
    answer.refresh_from_db()
    assert answer.explanation == "Ditulis operator."
    suggestion.refresh_from_db()
    assert suggestion.state == "pending"


def test_rejecting_with_a_reason_and_accepting_all_of_an_indicator(client, transition):
    generate(transition)
    client.force_login(transition.world.koordinator)
    suggestion = row(transition, "8", "evidence")
    response = client.post(
        reverse("transition:reject", args=[suggestion.pk]), {"reason": "Bukan PDP."}, headers=HTMX
    )
    assert response.status_code == 200 and "Bukan PDP." in response.content.decode()
    response = client.post(
        reverse("transition:accept_indicator", args=[transition.new.pk, "1"]),
        {"level": "1", "version": transition.new_answer("1").version},
    )
    assert response.status_code == 302
    assert not CrosswalkSuggestion.objects.filter(indicator="1", state="pending").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("operator", 403),
        ("asesor_internal", 403),
        ("asesor_eksternal", 403),
        ("admin", 403),
        ("outsider", 404),
    ],
)
def test_everyone_but_the_coordinator_is_refused(client, transition, persona, status):
    generate(transition)
    suggestion = row(transition, "3", "answer")
    client.force_login(transition.world.personas()[persona])
    assert client.get(page(transition)).status_code == status
    posts = [
        reverse("transition:generate", args=[transition.new.pk]),
        reverse("transition:accept", args=[suggestion.pk]),
        reverse("transition:reject", args=[suggestion.pk]),
        reverse("transition:accept_indicator", args=[transition.new.pk, "3"]),
    ]
    for url in posts:
        assert client.post(url, {"version": 1}).status_code == status
    suggestion.refresh_from_db()
    assert suggestion.state == "pending"


def test_anonymous_goes_to_the_login(client, transition):
    response = client.get(page(transition))
    assert response.status_code == 302 and "/masuk/" in response.url


def test_the_page_reads_a_fixed_number_of_queries(client, transition, django_assert_num_queries):
    generate(transition)
    client.force_login(transition.world.koordinator)
    client.get(page(transition))  # warm the instrument and crosswalk caches
    with django_assert_num_queries(7):
        first = client.get(page(transition))
    more_old_evidence(transition, count=30)
    generate(transition)
    assert CrosswalkSuggestion.objects.count() > 40
    with django_assert_num_queries(7):
        second = client.get(page(transition))
    assert first.status_code == second.status_code == 200
    assert first.content != second.content


def test_the_page_flags_the_provisional_instrument_and_the_audit_trail_names_decisions(
    client, transition
):
    generate(transition)
    suggestion = row(transition, "11", "evidence")
    services.suggestion_reject(
        actor=transition.world.koordinator, suggestion_id=suggestion.pk, reason="Bukan sandi."
    )
    client.force_login(transition.world.koordinator)
    html = client.get(page(transition)).content.decode()
    assert "Instrumen sementara." in html or "instrumen sementara" in html.lower()
    audit = client.get(reverse("evaluations:audit", args=[transition.new.pk])).content.decode()
    assert "Usulan padanan dibuat" in audit and "Usulan padanan ditolak" in audit


def test_evidence_is_linked_even_if_the_answer_was_saved_since_the_page_loaded(client, transition):
    """Linking overwrites nothing, so a stale answer version does not stop it."""
    from monev.evaluations import services as evaluation_services

    generate(transition)
    client.force_login(transition.world.koordinator)
    answer = transition.new_answer("10")
    stale = answer.version
    evaluation_services.answer_save(
        actor=transition.world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=None,
        explanation="Ditulis sementara itu.",
    )
    suggestion = row(transition, "10", "evidence")
    response = client.post(
        reverse("transition:accept", args=[suggestion.pk]), {"version": stale, "level": "1"}
    )
    assert response.status_code == 302
    assert EvidenceLink.objects.filter(answer=answer, evidence=suggestion.evidence).exists()
    answer.refresh_from_db()
    assert answer.explanation == "Ditulis sementara itu."
