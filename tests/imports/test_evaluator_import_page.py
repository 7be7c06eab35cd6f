"""The evaluator's import page (/evaluasi-nasional/impor/): the upload forms of the evaluator
kinds, refused to users without an evaluator scope, under the "Assessor assignments" menu."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

sys.path.insert(0, str(Path(__file__).parents[1] / "assignments"))
from assign_support import make_evaluators

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluators(world):
    return make_evaluators(world)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_has_a_form_per_evaluator_kind_and_refuses_non_evaluators(evaluators):
    client = client_for(evaluators.national)
    assert reverse("evaluator_imports:page") == "/evaluasi-nasional/impor/"
    page = client.get(reverse("evaluator_imports:page")).content.decode()
    assert "/evaluasi-nasional/impor/institutions/" in page
    assert "/evaluasi-nasional/impor/assessor-assignments/" in page
    koordinator = client_for(evaluators.world.koordinator)
    assert koordinator.get(reverse("evaluator_imports:page")).status_code == 403


def test_the_page_is_marked_current_under_the_assessor_assignments_menu(evaluators):
    page = client_for(evaluators.national).get(reverse("evaluator_imports:page"))
    board = reverse("assignments:board")
    assert f'<a href="{board}" aria-current="page">' in page.content.decode()


def test_an_unknown_kind_is_not_found(evaluators):
    response = client_for(evaluators.national).post(
        reverse("evaluator_imports:upload", args=["levels"])
    )
    assert response.status_code == 404
