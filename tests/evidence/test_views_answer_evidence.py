"""The evidence section of the answer page: evidence per level, linking from the library,
unlinking, upload-and-link in one step, the readiness checks before the submit button; in
constant queries however much evidence is linked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from views_support import file, login, make_evidence, many_evidence, png, queries

from monev.evaluations import services as evaluation_services
from monev.evidence.models import Evidence, EvidenceLink

pytestmark = pytest.mark.django_db


def answer_url(answer) -> str:
    return reverse("answers:detail", args=[answer.pk])


def test_it_shows_the_linked_evidence_and_the_readiness_before_submitting(client, world):
    answer = world.answer("1")
    evaluation_services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(3),
        explanation="Perwal",
    )
    evidence = make_evidence(world, title="Rancangan Perwal SPBE")
    EvidenceLink.objects.create(answer=answer, evidence=evidence, level=2)
    login(client, world, "operator")
    page = client.get(answer_url(answer)).content.decode()
    assert "Rancangan Perwal SPBE" in page
    assert "check-error" in page  # e.g. a draft / no number at level 2
    assert page.index("readiness-heading") < page.index(
        'action="' + reverse("answers:action", args=[answer.pk, "submit"])
    )


def test_it_links_and_unlinks_evidence_with_htmx(client, world):
    answer = world.answer("1")
    evidence = make_evidence(world, title="Perwal SPBE")
    login(client, world, "operator")
    response = client.post(
        reverse("evidence:answer_link", args=[answer.pk]),
        {"evidence": evidence.pk, "levels": [1, 3]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'id="answer-panel"' in fragment and "<html" not in fragment
    assert sorted(EvidenceLink.objects.values_list("level", flat=True)) == [1, 3]
    response = client.post(
        reverse("evidence:answer_unlink", args=[answer.pk, evidence.pk]), {"level": 3}
    )
    assert response.status_code == 302
    assert list(EvidenceLink.objects.values_list("level", flat=True)) == [1]


def test_it_refuses_a_link_without_levels_in_place(client, world):
    answer = world.answer("1")
    evidence = make_evidence(world)
    login(client, world, "operator")
    response = client.post(
        reverse("evidence:answer_link", args=[answer.pk]), {"evidence": evidence.pk}
    )
    assert response.status_code == 422
    assert "field-errors" in response.content.decode()
    assert not EvidenceLink.objects.exists()


def test_it_does_not_offer_another_units_evidence_to_an_operator(client, world):
    hidden = make_evidence(
        world, name="good.png", title="Layar unit B", kind="tangkapan_layar", unit=world.unit_b
    )
    login(client, world, "operator")
    page = client.get(answer_url(world.answer("1"))).content.decode()
    assert "Layar unit B" not in page
    response = client.post(
        reverse("evidence:answer_link", args=[world.answer("1").pk]),
        {"evidence": hidden.pk, "levels": [1]},
    )
    assert response.status_code == 422  # not a choice


def test_it_uploads_and_links_in_one_step(client, world):
    answer = world.answer("1")
    login(client, world, "operator")
    response = client.post(
        reverse("evidence:answer_upload", args=[answer.pk]),
        {
            "file": file("good.png"),
            "kind": "tangkapan_layar",
            "unit": world.unit_a.pk,
            "levels": [2],
            "title": "Layar",
        },
    )
    assert response.status_code == 302
    link = EvidenceLink.objects.get()
    assert (link.answer_id, link.level, link.evidence.title) == (answer.pk, 2, "Layar")

    # A refused file: nothing stored, nothing linked, the reason shown on the answer page.
    response = client.post(
        reverse("evidence:answer_upload", args=[answer.pk]),
        {
            "file": file("exe_renamed.pdf"),
            "kind": "peraturan",
            "unit": world.unit_a.pk,
            "levels": [1],
        },
    )
    assert response.status_code == 422
    assert 'id="answer-panel"' in response.content.decode()
    assert Evidence.objects.count() == 1 and EvidenceLink.objects.count() == 1

    # Levels missing: the upload is not stored either (both or neither).
    response = client.post(
        reverse("evidence:answer_upload", args=[answer.pk]),
        {"file": file("x.png", png(5)), "kind": "tangkapan_layar", "unit": world.unit_a.pk},
    )
    assert response.status_code == 422
    assert Evidence.objects.count() == 1


def test_it_reads_the_evidence_section_in_constant_queries(client, world):
    answer = world.answer("1")
    login(client, world, "operator")
    many_evidence(world, 2, link_to=answer)
    few = queries(lambda: client.get(answer_url(answer)))
    many_evidence(world, 10, start=2, link_to=answer)
    assert queries(lambda: client.get(answer_url(answer))) == few
