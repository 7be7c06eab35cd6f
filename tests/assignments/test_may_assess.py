"""The aspect restriction of an assessor assignment, enforced where assessors judge."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.assignments.models import AssessorAssignment
from monev.assignments.selectors import may_assess
from monev.evaluations import services
from monev.evaluations.period_instrument import instrument_of
from monev.lib.errors import Forbidden

pytestmark = pytest.mark.django_db


def _judge(world, indicator: str):
    return services.assessor_pass_save(
        actor=world.asesor_eksternal,
        answer_id=world.answer(indicator).pk,
        stage="document_review",
        level=Decimal(2),
        notes="",
        expected_version=0,
    )


@pytest.fixture
def closed(world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    return world


def test_without_an_assignment_an_assessor_member_judges_nothing(closed):
    # A membership granted by hand (no evaluator's assignment) lets the assessor see the
    # institution, not judge it: an external assessor acts only within an assignment.
    AssessorAssignment.objects.filter(assessor=closed.asesor_eksternal).delete()
    instrument = instrument_of(closed.period)
    assert not may_assess(closed.asesor_eksternal, closed.answer("11"), instrument)
    with pytest.raises(Forbidden) as refused:
        _judge(closed, "11")
    assert "tidak ditugaskan" in str(refused.value.message)
    assert not closed.answer("11").passes.exists()


def test_without_an_assignment_the_api_refuses_the_pass_and_queues_nothing(closed):
    from api_support import Api

    AssessorAssignment.objects.filter(assessor=closed.asesor_eksternal).delete()
    api = Api.token(closed.asesor_eksternal)
    answer = closed.answer("11")
    response = api.put(
        f"/answers/{answer.pk}/passes/document_review", {"version": 0, "level": 2, "notes": ""}
    )
    assert response.status_code == 403, response.json()
    assert "tidak ditugaskan" in response.json()["error"]["message"]
    queue = api.get(f"/periods/{closed.period.pk}/review-queue").json()
    assert queue["answers"] == []
    assert not answer.passes.exists()


def test_an_assignment_on_another_period_does_not_cover_this_one(closed):
    AssessorAssignment.objects.filter(assessor=closed.asesor_eksternal).delete()
    other = services.period_create(
        actor=closed.koordinator,
        institution_id=closed.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="spbe-2020",
    )
    AssessorAssignment.objects.create(period=other, assessor=closed.asesor_eksternal)
    assert not may_assess(
        closed.asesor_eksternal, closed.answer("11"), instrument_of(closed.period)
    )


def test_an_assignment_without_aspects_covers_every_indicator(closed):
    AssessorAssignment.objects.update_or_create(
        period=closed.period, assessor=closed.asesor_eksternal, defaults={"aspects": []}
    )
    assert _judge(closed, "1").level == Decimal(2)
    assert _judge(closed, "11").level == Decimal(2)


def test_an_assignment_with_aspects_refuses_the_other_aspects(closed):
    AssessorAssignment.objects.update_or_create(
        period=closed.period, assessor=closed.asesor_eksternal, defaults={"aspects": ["A2"]}
    )
    instrument = instrument_of(closed.period)
    assert not may_assess(closed.asesor_eksternal, closed.answer("1"), instrument)  # A1
    assert may_assess(closed.asesor_eksternal, closed.answer("11"), instrument)  # A2
    with pytest.raises(Forbidden) as refused:
        _judge(closed, "1")
    assert "tidak ditugaskan" in str(refused.value.message)
    assert not closed.answer("1").passes.exists()
    assert _judge(closed, "11").level == Decimal(2)


def test_the_system_is_never_restricted(closed):
    AssessorAssignment.objects.update_or_create(
        period=closed.period, assessor=closed.asesor_eksternal, defaults={"aspects": ["A2"]}
    )
    assert may_assess(None, closed.answer("1"), instrument_of(closed.period))
