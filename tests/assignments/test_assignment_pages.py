"""The evaluator's assignment page and the assessor's queue page (the bulk-creation page:
tests/imports/test_evaluator_import_page.py)."""

from __future__ import annotations

import pytest
from assign_support import make_evaluators, make_institutions
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from monev.assignments.models import AssessorAssignment
from monev.evaluations.period_instrument import instrument_of
from monev.institutions.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluators(world):
    return make_evaluators(world)


BOARD = "/evaluasi-nasional/penugasan/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_board_lists_the_institutions_in_scope_with_their_assessors(evaluators):
    ((institution, period),) = make_institutions(1)
    AssessorAssignment.objects.create(
        period=period, assessor=evaluators.assessor, aspects=["A1", "A2"]
    )
    response = client_for(evaluators.jabar).get(BOARD, {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert institution.name in page and "asesor.luar" in page and "A1, A2" in page
    assert evaluators.world.other_institution.name not in page  # Jawa Tengah
    assert 'hx-post="/evaluasi-nasional/penugasan/tetapkan/"' in page


def test_the_board_filters_by_kind_and_province(evaluators):
    make_institutions(2)
    make_institutions(1, province="Jawa Tengah", start=10)
    client = client_for(evaluators.national)
    page = client.get(BOARD, {"year": 2026, "province": "Jawa Tengah"}).content.decode()
    assert "Kabupaten 010" in page and "Kabupaten 000" not in page
    page = client.get(BOARD, {"year": 2026, "kind": "kota"}).content.decode()
    assert "Kabupaten 0" not in page and evaluators.world.institution.name in page
    assert client.get(BOARD, {"year": "dua ribu"}).status_code == 422


def test_the_board_is_for_evaluators_only(evaluators):
    assert client_for(evaluators.world.koordinator).get(BOARD).status_code == 403
    assert Client().get(BOARD).status_code == 302  # to the sign-in page


@pytest.mark.parametrize("count", [5, 50])
def test_the_board_reads_a_fixed_number_of_queries(evaluators, count, django_assert_num_queries):
    for _institution, period in make_institutions(count):
        AssessorAssignment.objects.create(period=period, assessor=evaluators.assessor)
    client = client_for(evaluators.national)
    client.get(BOARD)  # the session is loaded once
    with django_assert_num_queries(9):
        response = client.get(BOARD, {"year": 2026})
    assert response.status_code == 200


def test_assigning_with_a_plain_form_and_with_htmx(evaluators):
    ((institution, period),) = make_institutions(1)
    client = client_for(evaluators.jabar)
    response = client.post(
        reverse("assignments:assign"),
        {"period": period.pk, "assessor": "asesor.luar", "aspects": ["A3"], "next": BOARD},
    )
    assert response.status_code == 302 and response["Location"] == BOARD
    assignment = AssessorAssignment.objects.get()
    assert assignment.aspects == ["A3"]
    response = client.post(
        reverse("assignments:assign"),
        {"period": period.pk, "assessor": "asesor.luar", "aspects": ["A1", "A3"]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="institution-{institution.pk}"' in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.aspects == ["A1", "A3"]
    # An unknown user: the row again, with the reason, and nothing written.
    response = client.post(
        reverse("assignments:assign"),
        {"period": period.pk, "assessor": "tidak.ada"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422 and "tidak.ada" in response.content.decode()
    response = client.post(
        reverse("assignments:unassign", args=[assignment.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert not AssessorAssignment.objects.exists()
    assert not Membership.objects.filter(user=evaluators.assessor).exists()


def test_a_province_evaluator_cannot_assign_elsewhere_from_the_page(evaluators):
    ((_institution, period),) = make_institutions(1, province="Jawa Tengah")
    response = client_for(evaluators.jabar).post(
        reverse("assignments:assign"), {"period": period.pk, "assessor": "asesor.luar"}
    )
    assert response.status_code == 404
    response = client_for(evaluators.world.koordinator).post(
        reverse("assignments:assign"),
        {"period": evaluators.world.period.pk, "assessor": "asesor.luar"},
    )
    assert response.status_code == 403
    assert not AssessorAssignment.objects.exists()


def test_the_assessor_queue_page_and_its_nav_link(evaluators):
    ((_institution, period),) = make_institutions(1)
    from monev.assignments import services

    services.assignment_set(
        None, period_id=period.pk, assessor_id=evaluators.assessor.pk, aspects=["A7"]
    )
    client = client_for(evaluators.assessor)  # signing in remembers the assessor role
    response = client.get(reverse("assessor:queue"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/asesor/antrian/"' in page  # the nav link
    answer = period.answers.get(indicator="20")  # the A7 indicator
    assert f'href="/jawaban/{answer.pk}/"' in page
    label = instrument_of(period).indicators_by_number["20"].label
    assert label.startswith("20. ")
    assert f'<a href="/jawaban/{answer.pk}/">{escape(label)}</a>' in page  # number, short name
    assert "Provisional" in page or "Sementara" in page
    other = Client()
    other.force_login(evaluators.world.koordinator)
    assert (
        'href="/asesor/antrian/"' not in other.get(reverse("evaluations:periods")).content.decode()
    )


@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_page_reads_a_fixed_number_of_queries(
    evaluators, count, django_assert_num_queries
):
    from monev.assignments import services

    for _institution, period in make_institutions(count):
        services.assignment_set(None, period_id=period.pk, assessor_id=evaluators.assessor.pk)
    client = client_for(evaluators.assessor)
    with django_assert_num_queries(7):
        assert client.get(reverse("assessor:queue")).status_code == 200


def test_a_bad_period_is_not_found(evaluators):
    client = client_for(evaluators.national)
    for period in ("abc", "", "999999"):
        response = client.post(
            reverse("assignments:assign"), {"period": period, "assessor": "asesor.luar"}
        )
        assert response.status_code == 404


def test_the_page_refuses_a_change_made_from_a_stale_row(evaluators):
    ((institution, period),) = make_institutions(1)
    client = client_for(evaluators.jabar)
    board = client.get(BOARD, {"year": 2026}).content.decode()
    seen = board.split('name="seen" value="', 1)[1].split('"', 1)[0]
    AssessorAssignment.objects.create(period=period, assessor=evaluators.assessor, aspects=["A1"])
    response = client.post(
        reverse("assignments:assign"),
        {"period": period.pk, "assessor": "asesor.luar", "aspects": ["A3"], "seen": seen},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert f'id="institution-{institution.pk}"' in response.content.decode()
    assert AssessorAssignment.objects.get().aspects == ["A1"]


def test_the_page_refuses_an_insider_of_another_institution_as_assessor(evaluators):
    world = evaluators.world
    response = client_for(evaluators.national).post(
        reverse("assignments:assign"),
        {"period": world.period.pk, "assessor": world.outsider.username},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Kabupaten Lain" in response.content.decode()
    assert not AssessorAssignment.objects.exists()
