"""Assignments and the assessor's queue through /api/v1/."""

from __future__ import annotations

import pytest
from assign_support import make_evaluators, make_institutions

from api_support import Api
from monev.assignments.models import AssessorAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluators(world):
    return make_evaluators(world)


def test_an_evaluator_lists_creates_and_deletes_assignments(evaluators):
    ((institution, period),) = make_institutions(1)
    api = Api.token(evaluators.jabar)
    response = api.post(
        "/assignments",
        {
            "institution": institution.code,
            "year": 2026,
            "assessor": "asesor.luar",
            "aspects": ["a1"],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["period_id"] == period.pk and body["aspects"] == ["A1"]
    assert body["assigned_by"] == "eval.jabar"
    again = api.post(
        "/assignments", {"period_id": period.pk, "assessor": "asesor.luar", "aspects": []}
    )
    assert again.status_code == 200 and again.json()["aspects"] == []
    listed = api.get("/assignments", year=2026).json()
    assert [a["id"] for a in listed] == [body["id"]]
    assert api.delete(f"/assignments/{body['id']}").status_code == 204
    assert not AssessorAssignment.objects.exists()


def test_the_api_refuses_what_the_pages_refuse(evaluators):
    ((_institution, period),) = make_institutions(1, province="Jawa Tengah")
    api = Api.token(evaluators.jabar)
    refused = api.post("/assignments", {"period_id": period.pk, "assessor": "asesor.luar"})
    assert refused.status_code == 404
    koordinator = Api.token(evaluators.world.koordinator)
    refused = koordinator.post(
        "/assignments", {"period_id": evaluators.world.period.pk, "assessor": "asesor.luar"}
    )
    assert refused.status_code == 403
    assert koordinator.get("/assignments").status_code == 403
    bad = Api.token(evaluators.national).post(
        "/assignments", {"period_id": period.pk, "assessor": "asesor.luar", "aspects": ["Z"]}
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["location"] == "aspects"
    assert Api.anonymous().get("/assessor/queue").status_code == 401


def test_the_assessor_queue(evaluators, django_assert_num_queries):
    from monev.assignments import services

    ((institution, period),) = make_institutions(1)
    services.assignment_set(
        None, period_id=period.pk, assessor_id=evaluators.assessor.pk, aspects=["A4"]
    )
    api = Api.token(evaluators.assessor)
    body = api.get("/assessor/queue").json()
    assert body["total"] == len(body["items"]) > 0
    item = body["items"][0]
    assert item["institution_id"] == institution.pk and item["aspect"] == "A4"
    assert item["stage"] == "document_review" and item["provisional"] is True
    assert api.get("/assessor/queue", stage="final").json()["items"] == []


@pytest.mark.parametrize("count", [5, 50])
def test_the_lists_read_a_fixed_number_of_queries(evaluators, count, django_assert_num_queries):
    from monev.assignments import services

    for _institution, period in make_institutions(count):
        services.assignment_set(None, period_id=period.pk, assessor_id=evaluators.assessor.pk)
    evaluator, assessor = Api.token(evaluators.national), Api.token(evaluators.assessor)
    with django_assert_num_queries(3):
        assert len(evaluator.get("/assignments").json()) == count
    with django_assert_num_queries(7):
        assert assessor.get("/assessor/queue").json()["total"] == 20 * count


def test_a_change_with_a_stale_version_answers_409_and_keeps_the_other_change(evaluators):
    ((_institution, period),) = make_institutions(1)
    api = Api.token(evaluators.jabar)
    made = api.post(
        "/assignments", {"period_id": period.pk, "assessor": "asesor.luar", "version": 0}
    )
    assert made.status_code == 201 and made.json()["version"] == 1
    changed = api.post(
        "/assignments",
        {"period_id": period.pk, "assessor": "asesor.luar", "aspects": ["A2"], "version": 1},
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = api.post(
        "/assignments",
        {"period_id": period.pk, "assessor": "asesor.luar", "aspects": ["A3"], "version": 1},
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert AssessorAssignment.objects.get().aspects == ["A2"]


def test_the_api_refuses_an_insider_of_another_institution_as_assessor(evaluators):
    world = evaluators.world
    response = Api.token(evaluators.national).post(
        "/assignments", {"period_id": world.period.pk, "assessor": world.outsider.username}
    )
    assert response.status_code == 422, response.json()
    error = response.json()["error"]
    assert error["details"][0]["location"] == "assessor"
    assert "Kabupaten Lain" in error["message"]
    assert not AssessorAssignment.objects.exists()
