"""The unit x indicator matrix: bulk assignment with a fingerprint against stale saves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from page_support import login

from monev.evaluations import services
from monev.evaluations.models import AnswerUnit
from monev.evaluations.services.answers import assignment_fingerprint
from monev.institutions.models import Unit

pytestmark = pytest.mark.django_db


def matrix_url(world) -> str:
    return reverse("evaluations:matrix", args=[world.period.pk])


def form_state(html: str) -> dict:
    return {
        "fingerprint": re.search(r'name="fingerprint" value="([^"]+)"', html)[1],
        "answers": re.search(r'name="answers" value="([^"]+)"', html)[1],
        "cell": re.findall(r'name="cell" value="([^"]+)" checked', html),
    }


def pairs(world) -> set[tuple[int, int]]:
    return set(
        AnswerUnit.objects.filter(answer__period=world.period).values_list("answer_id", "unit_id")
    )


def test_it_shows_units_as_columns_and_indicators_as_rows(client, world):
    login(client, world, "koordinator")
    html = client.get(matrix_url(world)).content.decode()
    state = form_state(html)
    assert len(state["cell"]) == 10  # answers 1-5 unit A, 6-10 unit B
    assert html.count('type="checkbox"') == 47 * 2
    assert state["fingerprint"] == assignment_fingerprint(pairs(world))


def test_it_saves_the_whole_matrix_at_once(client, world):
    login(client, world, "koordinator")
    state = form_state(client.get(matrix_url(world)).content.decode())
    one, eleven = world.answer("1").pk, world.answer("11").pk
    cells = [c for c in state["cell"] if not c.startswith(f"{one}:")]  # untick answer 1
    cells += [f"{eleven}:{world.unit_a.pk}", f"{eleven}:{world.unit_b.pk}"]
    response = client.post(matrix_url(world), {**state, "cell": cells}, follow=True)
    assert response.status_code == 200
    assert "2 indikator diubah." in response.content.decode()
    assert (one, world.unit_a.pk) not in pairs(world)
    assert {(eleven, world.unit_a.pk), (eleven, world.unit_b.pk)} <= pairs(world)


def test_it_refuses_a_stale_matrix_and_keeps_the_users_choices(client, world):
    login(client, world, "koordinator")
    state = form_state(client.get(matrix_url(world)).content.decode())
    services.answer_assign_units(  # someone else changes answer 12 meanwhile
        actor=world.koordinator, answer_id=world.answer("12").pk, unit_ids=[world.unit_b.pk]
    )
    mine = f"{world.answer('11').pk}:{world.unit_a.pk}"
    response = client.post(matrix_url(world), {**state, "cell": [*state["cell"], mine]})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Orang lain telah mengubah penugasan unit" in html
    assert f'value="{mine}" checked' in html  # the user's choice is kept ...
    assert 'class="cell changed"' in html  # ... and marked as differing from what is saved
    assert form_state(html)["fingerprint"] == assignment_fingerprint(pairs(world))
    assert (world.answer("11").pk, world.unit_a.pk) not in pairs(world)


def test_it_refuses_a_garbled_matrix_with_422(client, world):
    login(client, world, "koordinator")
    state = form_state(client.get(matrix_url(world)).content.decode())
    response = client.post(matrix_url(world), {**state, "cell": ["x:y"]})
    assert response.status_code == 422


def test_it_renders_the_matrix_in_constant_queries(client, world, django_assert_num_queries):
    login(client, world, "koordinator")
    with django_assert_num_queries(10):  # 9, and the evidence links of the overview rows
        client.get(matrix_url(world))
    units = Unit.objects.bulk_create(
        [Unit(institution=world.institution, code=f"U{n:02}", name=f"Dinas {n}") for n in range(30)]
    )
    AnswerUnit.objects.bulk_create(
        [AnswerUnit(answer=a, unit=u) for a in world.period.answers.all() for u in units]
    )
    with django_assert_num_queries(10):  # 9, and the evidence links of the overview rows
        html = client.get(matrix_url(world)).content.decode()
    assert html.count('type="checkbox"') == 47 * 32
