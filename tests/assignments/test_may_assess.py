"""The aspect restriction of an assessor assignment, enforced where assessors judge."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.assignments.models import AssessorAssignment
from monev.assignments.selectors import may_assess
from monev.errors import Forbidden
from monev.evaluations import services
from monev.evaluations.instruments import instrument_of

pytestmark = pytest.mark.django_db


def _judge(world, indicator: str):
    return services.assessor_pass_save(
        actor=world.asesor_eksternal,
        answer_id=world.answer(indicator).pk,
        stage="dokumen",
        level=Decimal(2),
        notes="",
        expected_version=0,
    )


@pytest.fixture
def closed(world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    return world


def test_without_an_assignment_an_assessor_member_judges_everything_as_before(closed):
    instrument = instrument_of(closed.period)
    assert may_assess(closed.asesor_eksternal, closed.answer("11"), instrument)
    assert _judge(closed, "11").level == Decimal(2)


def test_an_assignment_without_aspects_covers_every_indicator(closed):
    AssessorAssignment.objects.create(period=closed.period, assessor=closed.asesor_eksternal)
    assert _judge(closed, "1").level == Decimal(2)
    assert _judge(closed, "11").level == Decimal(2)


def test_an_assignment_with_aspects_refuses_the_other_aspects(closed):
    AssessorAssignment.objects.create(
        period=closed.period, assessor=closed.asesor_eksternal, aspects=["A2"]
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
    AssessorAssignment.objects.create(
        period=closed.period, assessor=closed.asesor_eksternal, aspects=["A2"]
    )
    assert may_assess(None, closed.answer("1"), instrument_of(closed.period))
