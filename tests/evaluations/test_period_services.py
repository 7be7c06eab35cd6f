"""Periods: creation with one answer per item, carry-over, targets, milestones, matrix."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from monev.evaluations import services
from monev.evaluations.models import Answer, AnswerUnit, Milestone
from monev.evaluations.services.answers import assignment_fingerprint
from monev.lib.errors import Conflict, Forbidden, InvalidInput, NotFound


def test_it_creates_one_draft_answer_per_scored_item_pinned_to_the_instrument(world):
    assert world.period.answers.count() == 47
    assert world.period.instrument_reference == "spbe-2020@1"
    assert len(world.period.instrument_sha256) == 64


def test_it_creates_sub_item_answers_for_spbe_2018(world):
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2019,
        kind="evaluasi",
        instrument="spbe-2018",
    )
    numbers = list(period.answers.values_list("indicator", flat=True))
    assert len(numbers) == 37 and numbers[-3:] == ["35.1", "35.2", "35.3"]


def test_it_carries_levels_and_units_over_from_the_previous_period(world):
    answer = world.answer("1")
    services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal("4"),
        explanation="dasar",
    )
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="pemantauan",
        instrument="spbe-2020",
        carry_over_from=world.period.pk,
    )
    carried = Answer.objects.get(period=period, indicator="1")
    assert (carried.level, carried.explanation, carried.status) == (Decimal("4"), "dasar", "draft")
    assert list(carried.units.values_list("code", flat=True)) == ["A"]


def test_it_refuses_a_second_period_of_the_same_kind_and_year(world):
    with pytest.raises(Conflict):
        services.period_create(
            actor=world.koordinator,
            institution_id=world.institution.pk,
            year=2025,
            kind="pemantauan",
            instrument="spbe-2020",
        )


def test_it_lets_only_managers_create_periods(world):
    with pytest.raises(Forbidden):
        services.period_create(
            actor=world.operator,
            institution_id=world.institution.pk,
            year=2026,
            kind="evaluasi",
            instrument="spbe-2020",
        )
    with pytest.raises(NotFound):
        services.period_create(
            actor=world.outsider,
            institution_id=world.institution.pk,
            year=2026,
            kind="evaluasi",
            instrument="spbe-2020",
        )


def test_it_refuses_unknown_instruments_and_targets_off_the_scale(world):
    with pytest.raises(InvalidInput):
        services.period_create(
            actor=world.koordinator,
            institution_id=world.institution.pk,
            year=2026,
            kind="evaluasi",
            instrument="spbe-1999",
        )
    with pytest.raises(InvalidInput):
        services.period_set_target(
            actor=world.koordinator, period_id=world.period.pk, target=Decimal("5.5")
        )
    period = services.period_set_target(
        actor=world.koordinator, period_id=world.period.pk, target=Decimal("4.62")
    )
    assert period.target == Decimal("4.62")


def test_it_keeps_one_milestone_of_each_kind_but_many_mentoring_sessions(world):
    when = datetime(2025, 8, 18, 16, 0, tzinfo=UTC)
    services.milestone_set(
        actor=world.koordinator, period_id=world.period.pk, kind="evidence_deadline", due_at=when
    )
    services.milestone_set(
        actor=world.koordinator, period_id=world.period.pk, kind="evidence_deadline", due_at=when
    )
    services.milestone_set(
        actor=world.koordinator, period_id=world.period.pk, kind="mentoring", due_at=when
    )
    services.milestone_set(
        actor=world.koordinator, period_id=world.period.pk, kind="mentoring", due_at=when
    )
    kinds = list(Milestone.objects.filter(period=world.period).values_list("kind", flat=True))
    assert kinds.count("evidence_deadline") == 1 and kinds.count("mentoring") == 2
    with pytest.raises(InvalidInput):
        services.milestone_set(
            actor=world.koordinator, period_id=world.period.pk, kind="nope", due_at=when
        )


def test_it_assigns_the_matrix_in_bulk_and_refuses_a_stale_matrix(world):
    pairs = AnswerUnit.objects.filter(answer__period=world.period).values_list(
        "answer_id", "unit_id"
    )
    fingerprint = assignment_fingerprint(list(pairs))
    eleven = world.answer("11").pk
    changed = services.period_assign_matrix(
        actor=world.koordinator,
        period_id=world.period.pk,
        assignments={eleven: {world.unit_a.pk, world.unit_b.pk}},
        expected_fingerprint=fingerprint,
    )
    assert changed == 1
    assert set(world.answer("11").units.values_list("code", flat=True)) == {"A", "B"}
    with pytest.raises(Conflict):
        services.period_assign_matrix(
            actor=world.koordinator,
            period_id=world.period.pk,
            assignments={eleven: set()},
            expected_fingerprint=fingerprint,
        )
