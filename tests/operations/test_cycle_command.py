"""`monev cycle close-due`: locks periods at their self-assessment deadline, once, for cron."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify
from monev.evaluations import services
from monev.evaluations.models import Answer, Milestone

pytestmark = pytest.mark.django_db

Status = Answer.Status


def close_due(*args: str) -> str:
    out = StringIO()
    call_command("cycle", "close-due", *args, stdout=out)
    return out.getvalue()


def deadline_passed(period, hours: int = 1) -> None:
    Milestone.objects.filter(period=period, kind=Milestone.Kind.SELF_ASSESSMENT_CLOSE).update(
        due_at=timezone.now() - timedelta(hours=hours)
    )


def test_it_leaves_a_period_whose_deadline_has_not_passed(world):
    assert "No period is due" in close_due()
    assert not world.period.answers.filter(status=Status.FINAL).exists()


def test_it_locks_every_answer_once_the_deadline_has_passed(world):
    deadline_passed(world.period)
    output = close_due()
    count = world.period.answers.count()
    assert f"(id {world.period.pk}): {count} answer(s) locked" in output
    assert set(world.period.answers.values_list("status", flat=True)) == {Status.FINAL}
    event = AuditEvent.objects.get(action="period.close_self_assessment")
    assert event.actor_id is None and event.actor_label == "system"
    assert event.after["answers_locked"] == count
    assert audit_verify()[1] == []


def test_it_is_idempotent(world):
    deadline_passed(world.period)
    close_due()
    events = AuditEvent.objects.count()
    versions = list(world.period.answers.values_list("version", flat=True))
    assert "No period is due" in close_due()
    assert AuditEvent.objects.count() == events
    assert list(world.period.answers.values_list("version", flat=True)) == versions


def test_it_does_not_relock_answers_the_coordinator_reopened(world):
    deadline_passed(world.period)
    close_due()
    answer = world.answer("1")
    services.answer_reopen(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        reason="Bukti baru dari Diskominfo",
    )
    assert "No period is due" in close_due()
    assert Answer.objects.get(pk=answer.pk).status == Status.RETURNED


def test_it_names_the_periods_due_in_a_dry_run_and_changes_nothing(world):
    deadline_passed(world.period)
    output = close_due("--dry-run")
    assert f"Due: {world.period} (id {world.period.pk})" in output
    assert not world.period.answers.filter(status=Status.FINAL).exists()
    assert not AuditEvent.objects.filter(action="period.close_self_assessment").exists()


def test_it_ignores_periods_without_a_closing_date(world):
    Milestone.objects.filter(period=world.period).delete()
    assert "No period is due" in close_due()
