"""The answer workflow: save, submit, verify or return, deadline lock, reopen; versions."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from monev.audit.models import AuditEvent
from monev.evaluations import services
from monev.evaluations.models import Answer, Comment
from monev.lib.errors import (
    Conflict,
    DeadlinePassed,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
)

Status = Answer.Status
AFTER_CLOSE = datetime(2099, 6, 1, tzinfo=UTC)


def save(world, user, indicator="1", level="3", text="Perwal 12/2024 mengatur ...", **kw):
    answer = world.answer(indicator)
    return services.answer_save(
        actor=user,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level) if level is not None else None,
        explanation=text,
        **kw,
    )


def test_it_lets_an_operator_save_an_answer_of_their_unit(world):
    answer = save(world, world.operator)
    assert (answer.level, answer.version, answer.updated_by) == (Decimal("3"), 2, world.operator)
    event = AuditEvent.objects.get(action="answer.save", answer_id=answer.pk)
    assert event.before["level"] is None and event.after["level"] == "3"


def test_it_hides_other_units_answers_from_an_operator(world):
    with pytest.raises(NotFound):
        save(world, world.operator, indicator="6")


def test_it_refuses_edits_from_roles_that_only_read_or_assess(world):
    for user in (world.pimpinan, world.asesor_internal, world.asesor_eksternal):
        with pytest.raises(Forbidden):
            save(world, user)


def test_it_hides_the_answer_from_another_institution(world):
    with pytest.raises(NotFound):
        save(world, world.outsider)


def test_it_refuses_a_level_the_instrument_does_not_allow(world):
    with pytest.raises(InvalidInput, match="not a whole level"):
        save(world, world.koordinator, level="3.5")
    with pytest.raises(InvalidInput, match="outside the scale"):
        save(world, world.koordinator, level="6")


def test_it_refuses_a_stale_save_and_shows_the_other_change(world):
    answer = world.answer("1")
    stale_version = answer.version
    save(world, world.operator, level="4", text="versi operator")
    with pytest.raises(Conflict) as conflict:
        services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=stale_version,
            level=Decimal("2"),
            explanation="versi koordinator",
        )
    assert conflict.value.extra["current"]["explanation"] == "versi operator"
    assert world.answer("1").level == Decimal("4")


def test_it_runs_submit_verify_and_return_with_a_mandatory_note(world):
    save(world, world.operator)
    answer = world.answer("1")
    answer = services.answer_submit(
        actor=world.operator, answer_id=answer.pk, expected_version=answer.version
    )
    assert answer.status == Status.SUBMITTED
    with pytest.raises(InvalidInput):
        services.answer_return(
            actor=world.asesor_internal,
            answer_id=answer.pk,
            expected_version=answer.version,
            note=" ",
        )
    answer = services.answer_return(
        actor=world.asesor_internal,
        answer_id=answer.pk,
        expected_version=answer.version,
        note="Perwal belum ditandatangani",
    )
    assert answer.status == Status.RETURNED
    assert Comment.objects.get(answer=answer).body == "Perwal belum ditandatangani"
    answer = services.answer_submit(
        actor=world.operator, answer_id=answer.pk, expected_version=answer.version
    )
    answer = services.answer_verify(
        actor=world.asesor_internal, answer_id=answer.pk, expected_version=answer.version
    )
    assert (answer.status, answer.verified_level) == (Status.VERIFIED, Decimal("3"))


def test_it_sends_a_verified_answer_back_to_draft_when_its_content_changes(world):
    save(world, world.operator)
    answer = world.answer("1")
    answer = services.answer_submit(
        actor=world.operator, answer_id=answer.pk, expected_version=answer.version
    )
    services.answer_verify(
        actor=world.asesor_internal, answer_id=answer.pk, expected_version=answer.version
    )
    answer = save(world, world.operator, level="4")
    assert (answer.status, answer.verified_level) == (Status.DRAFT, None)


def test_it_refuses_to_submit_an_incomplete_answer(world):
    answer = world.answer("2")
    with pytest.raises(InvalidInput) as error:
        services.answer_submit(
            actor=world.operator, answer_id=answer.pk, expected_version=answer.version
        )
    assert {d["location"] for d in error.value.details} == {"level", "explanation"}


def test_it_refuses_verification_by_anyone_but_the_internal_assessor(world):
    save(world, world.operator)
    answer = world.answer("1")
    answer = services.answer_submit(
        actor=world.operator, answer_id=answer.pk, expected_version=answer.version
    )
    for user in (world.operator, world.koordinator, world.pimpinan, world.asesor_eksternal):
        with pytest.raises(Forbidden):
            services.answer_verify(actor=user, answer_id=answer.pk, expected_version=answer.version)


def test_it_enforces_the_self_assessment_deadline_on_the_server(world):
    with pytest.raises(DeadlinePassed):
        save(world, world.operator, now=AFTER_CLOSE)


def test_it_lets_only_the_coordinator_reopen_with_a_recorded_reason(world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    answer = world.answer("1")
    assert answer.status == Status.FINAL
    with pytest.raises(DeadlinePassed):
        save(world, world.operator)
    with pytest.raises(Forbidden):
        services.answer_reopen(
            actor=world.operator, answer_id=answer.pk, expected_version=answer.version, reason="x"
        )
    with pytest.raises(InvalidInput):
        services.answer_reopen(
            actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version, reason=""
        )
    answer = services.answer_reopen(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        reason="Asesor meminta perbaikan penjelasan",
    )
    assert answer.reopened and answer.status == Status.RETURNED
    assert save(world, world.operator, now=AFTER_CLOSE).level == Decimal("3")
    event = AuditEvent.objects.get(action="answer.reopen")
    assert event.reason == "Asesor meminta perbaikan penjelasan"


def test_it_refuses_transitions_from_the_wrong_state(world):
    answer = world.answer("1")
    with pytest.raises(InvalidTransition):
        services.answer_verify(
            actor=world.asesor_internal, answer_id=answer.pk, expected_version=answer.version
        )
