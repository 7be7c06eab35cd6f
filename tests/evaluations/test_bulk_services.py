"""Bulk actions (reopen, return, extend a unit's deadline) per unit, aspect or selection:
one reason on every answer, an audit event each with the batch's id, skipped answers
reported with why, versions respected, a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify
from monev.evaluations import services
from monev.evaluations.models import Answer, AnswerUnit, Comment, DeadlineExtension
from monev.evaluations.services import BulkScope
from monev.institutions.models import Unit
from monev.lib.errors import DeadlinePassed, Forbidden, InvalidInput, NotFound

pytestmark = pytest.mark.django_db

Status = Answer.Status
AFTER_CLOSE = datetime(2099, 6, 1, tzinfo=UTC)  # the world's period closes on 1 Jan 2099
EXTENDED = datetime(2099, 9, 1, tzinfo=UTC)


def submitted(world, *indicators: str) -> None:
    for indicator in indicators:
        answer = world.answer(indicator)
        answer = services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal(3),
            explanation="Perwal 12/2024",
        )
        services.answer_submit(
            actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version
        )


def verified(world, *indicators: str) -> None:
    submitted(world, *indicators)
    for indicator in indicators:
        answer = world.answer(indicator)
        services.answer_verify(
            actor=world.asesor_internal, answer_id=answer.pk, expected_version=answer.version
        )


def apply(world, action, scope, actor=None, reason="Bukti baru dari Diskominfo", **kw):
    return services.bulk_apply(
        actor=actor or world.koordinator,
        period_id=world.period.pk,
        action=action,
        scope=scope,
        reason=reason,
        **kw,
    )


def unit_a(world) -> BulkScope:
    return BulkScope(unit_id=world.unit_a.pk)


def indicators(answers) -> list[str]:
    return [answer.indicator for answer in answers]


def statuses(world, *numbers: str) -> list[str]:
    return [world.answer(n).status for n in numbers]


# --- reopen -------------------------------------------------------------------------------


def test_it_reopens_a_units_answers_after_the_deadline_with_one_reason(world):
    submitted(world, "1", "2")
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    result = apply(world, "reopen", unit_a(world), now=AFTER_CLOSE)
    assert indicators(result.affected) == ["1", "2", "3", "4", "5"] and result.skipped == []
    for number in ("1", "2", "3", "4", "5"):
        answer = world.answer(number)
        assert (answer.status, answer.reopened) == (Status.RETURNED, True)
    assert statuses(world, "6") == [Status.FINAL]  # unit B's stays locked
    events = AuditEvent.objects.filter(action="answer.reopen")
    assert events.count() == 5
    assert {(e.reason, e.after["bulk"]) for e in events} == {
        ("Bukti baru dari Diskominfo", result.bulk_id)
    }
    assert events.get(answer_id=world.answer("1").pk).before["status"] == Status.FINAL
    assert Comment.objects.filter(body="Bukti baru dari Diskominfo").count() == 5
    assert audit_verify()[1] == []


def test_a_reopened_answer_can_be_saved_by_its_operator_after_the_deadline(world):
    apply(world, "reopen", unit_a(world), now=AFTER_CLOSE)
    answer = world.answer("1")
    services.answer_save(
        actor=world.operator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(2),
        explanation="Diperbaiki",
        now=AFTER_CLOSE,
    )
    assert world.answer("1").level == Decimal(2)


def test_it_reopens_an_aspects_answers(world):
    submitted(world, "11", "12")
    result = apply(world, "reopen", BulkScope(aspect="A2"))
    assert indicators(result.affected) == ["11", "12"]
    with translation.override("en"):
        result = apply(world, "reopen", BulkScope(aspect="A2"))
    assert result.affected == []
    assert [(s.answer.indicator, s.reason) for s in result.skipped] == [
        ("11", "This answer is already reopened."),
        ("12", "This answer is already reopened."),
        ("13", "A draft the unit can still edit: nothing to reopen."),
        ("14", "A draft the unit can still edit: nothing to reopen."),
    ]


def test_it_reopens_a_selection_of_answers(world):
    submitted(world, "1", "7", "20")
    chosen = (world.answer("7").pk, world.answer("20").pk)
    result = apply(world, "reopen", BulkScope(answer_ids=chosen))
    assert indicators(result.affected) == ["7", "20"]
    assert statuses(world, "1", "7", "20") == [Status.SUBMITTED, Status.RETURNED, Status.RETURNED]


# --- return -------------------------------------------------------------------------------


def test_it_returns_a_units_submitted_and_verified_answers_and_skips_the_rest(world):
    submitted(world, "1")
    verified(world, "2")
    with translation.override("en"):
        result = apply(world, "return", unit_a(world), reason="Penjelasan belum lengkap")
    assert indicators(result.affected) == ["1", "2"]
    assert {s.answer.indicator: s.reason for s in result.skipped} == {
        n: "Only a submitted or verified answer can be returned." for n in ("3", "4", "5")
    }
    assert statuses(world, "1", "2") == [Status.RETURNED, Status.RETURNED]
    assert world.answer("2").verified_level is None
    events = AuditEvent.objects.filter(action="answer.return", after__bulk=result.bulk_id)
    assert events.count() == 2 and {e.reason for e in events} == {"Penjelasan belum lengkap"}


def test_it_returns_an_aspects_and_a_selections_answers(world):
    submitted(world, "11", "12", "13")
    assert indicators(apply(world, "return", BulkScope(aspect="A2")).affected) == ["11", "12", "13"]
    submitted(world, "11", "12")
    chosen = BulkScope(answer_ids=(world.answer("12").pk,))
    assert indicators(apply(world, "return", chosen).affected) == ["12"]
    assert statuses(world, "11", "12") == [Status.SUBMITTED, Status.RETURNED]


def test_it_does_not_return_answers_whose_self_assessment_has_closed(world):
    submitted(world, "1")
    with translation.override("en"):
        result = apply(world, "return", unit_a(world), now=AFTER_CLOSE)
    assert result.affected == []
    assert "closed on" in result.skipped[0].reason
    assert statuses(world, "1") == [Status.SUBMITTED]


# --- extend -------------------------------------------------------------------------------


def test_an_extension_lets_that_units_operator_save_after_the_close_and_no_one_else(world):
    result = apply(world, "extend", unit_a(world), until=EXTENDED, reason="Banjir di kantor")
    assert indicators(result.affected) == ["1", "2", "3", "4", "5"]
    extension = DeadlineExtension.objects.get(period=world.period, unit=world.unit_a)
    assert (extension.until, extension.reason, extension.granted_by) == (
        EXTENDED,
        "Banjir di kantor",
        world.koordinator,
    )
    answer = world.answer("1")
    services.answer_save(
        actor=world.operator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(2),
        explanation="Terlambat tapi diperpanjang",
        now=AFTER_CLOSE,
    )
    other = world.answer("6")
    with pytest.raises(DeadlinePassed):
        services.answer_save(
            actor=world.operator_b,
            answer_id=other.pk,
            expected_version=other.version,
            level=Decimal(2),
            explanation="Terlambat",
            now=AFTER_CLOSE,
        )
    with pytest.raises(DeadlinePassed):  # the extension ends too
        services.answer_save(
            actor=world.operator,
            answer_id=answer.pk,
            expected_version=answer.version + 1,
            level=Decimal(3),
            explanation="Terlalu terlambat",
            now=datetime(2099, 9, 2, tzinfo=UTC),
        )


def test_an_extension_is_audited_per_answer_and_for_the_unit(world):
    result = apply(world, "extend", unit_a(world), until=EXTENDED, reason="Banjir di kantor")
    events = AuditEvent.objects.filter(after__bulk=result.bulk_id)
    per_answer = events.filter(action="answer.extend_deadline")
    assert sorted(per_answer.values_list("answer_id", flat=True)) == sorted(
        a.pk for a in result.affected
    )
    event = per_answer.first()
    assert event.before["closes"].startswith("2099-01-01")
    assert event.after["closes"].startswith("2099-09-01")
    unit_event = events.get(action="period.extend_deadline")
    assert unit_event.after["unit"] == "A" and unit_event.before["until"] is None
    assert {e.reason for e in events} == {"Banjir di kantor"}
    later = datetime(2099, 10, 1, tzinfo=UTC)
    again = apply(world, "extend", unit_a(world), until=later)
    unit_event = AuditEvent.objects.get(after__bulk=again.bulk_id, action="period.extend_deadline")
    assert unit_event.before["until"].startswith("2099-09-01")
    assert DeadlineExtension.objects.get(unit=world.unit_a).until == later


def test_an_extension_skips_final_and_reopened_answers(world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    apply(world, "reopen", BulkScope(answer_ids=(world.answer("1").pk,)), now=AFTER_CLOSE)
    with translation.override("en"):
        result = apply(world, "extend", unit_a(world), until=EXTENDED, now=AFTER_CLOSE)
    assert result.affected == []
    reasons = {s.answer.indicator: s.reason for s in result.skipped}
    assert reasons["1"].startswith("Reopened")
    assert reasons["2"].startswith("Locked as final mandiri")
    assert DeadlineExtension.objects.filter(unit=world.unit_a).exists()  # granted all the same


def test_an_extension_needs_a_unit_and_a_date_after_the_close(world):
    with pytest.raises(InvalidInput):
        apply(world, "extend", BulkScope(aspect="A1"), until=EXTENDED)
    with pytest.raises(InvalidInput):
        apply(world, "extend", unit_a(world), until=None)
    with pytest.raises(InvalidInput):
        apply(world, "extend", unit_a(world), until=datetime(2098, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidInput):
        apply(world, "extend", unit_a(world), until=EXTENDED, now=datetime(2099, 12, 1, tzinfo=UTC))
    assert not DeadlineExtension.objects.exists()


def test_the_window_of_an_answer_follows_its_units_extension(world):
    apply(world, "extend", unit_a(world), until=EXTENDED)
    window = services.common.self_assessment_window
    assert window(world.period)[1].year == 2099 and window(world.period)[1].month == 1
    assert window(world.period, unit_ids=[world.unit_a.pk])[1] == EXTENDED
    assert window(world.period, unit_ids=[world.unit_b.pk])[1].month == 1
    assert window(world.period, unit_ids=[])[1].month == 1


# --- who, why, what else ------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["operator", "operator_b", "asesor_internal", "asesor_eksternal", "pimpinan"]
)
@pytest.mark.parametrize("action", ["reopen", "return", "extend"])
def test_roles_other_than_koordinator_and_admin_are_refused(world, persona, action):
    submitted(world, "1")
    with pytest.raises(Forbidden):
        apply(world, action, unit_a(world), actor=world.personas()[persona], until=EXTENDED)
    with pytest.raises(Forbidden):
        services.bulk_preview(
            actor=world.personas()[persona],
            period_id=world.period.pk,
            action=action,
            scope=unit_a(world),
        )
    assert statuses(world, "1") == [Status.SUBMITTED]


def test_an_outsider_does_not_see_the_period(world):
    with pytest.raises(NotFound):
        apply(world, "reopen", unit_a(world), actor=world.outsider)


def test_the_admin_may_act_in_bulk(world):
    submitted(world, "1")
    assert indicators(apply(world, "return", unit_a(world), actor=world.admin).affected) == ["1"]


def test_a_reason_is_required_and_nothing_changes_without_one(world):
    submitted(world, "1")
    with pytest.raises(InvalidInput) as error:
        apply(world, "return", unit_a(world), reason="   ")
    assert error.value.details[0]["location"] == "reason"
    assert statuses(world, "1") == [Status.SUBMITTED]
    assert not AuditEvent.objects.filter(action="answer.return").exists()


def test_a_scope_must_be_one_of_unit_aspect_or_selection_within_the_period(world):
    other_unit = Unit.objects.create(institution=world.other_institution, code="X", name="X")
    for scope in (
        BulkScope(),
        BulkScope(unit_id=world.unit_a.pk, aspect="A1"),
        BulkScope(unit_id=other_unit.pk),
        BulkScope(aspect="Z9"),
        BulkScope(answer_ids=(world.answer("1").pk, 999_999)),
    ):
        with pytest.raises(InvalidInput):
            apply(world, "reopen", scope)
    with pytest.raises(InvalidInput):
        apply(world, "delete", unit_a(world))


def test_the_preview_changes_nothing_and_names_what_would_be_skipped(world):
    submitted(world, "1")
    with translation.override("en"):
        preview = services.bulk_preview(
            actor=world.koordinator,
            period_id=world.period.pk,
            action="return",
            scope=unit_a(world),
        )
    assert indicators(preview.affected) == ["1"] and len(preview.skipped) == 4
    assert preview.bulk_id == "" and preview.versions == {world.answer("1").pk: 3}
    assert statuses(world, "1") == [Status.SUBMITTED]
    assert not AuditEvent.objects.filter(action="answer.return").exists()


def test_an_answer_changed_since_the_preview_is_reported_and_not_overwritten(world):
    submitted(world, "1", "2")
    preview = services.bulk_preview(
        actor=world.koordinator, period_id=world.period.pk, action="return", scope=unit_a(world)
    )
    answer = world.answer("2")  # someone verifies it meanwhile
    services.answer_verify(
        actor=world.asesor_internal, answer_id=answer.pk, expected_version=answer.version
    )
    with translation.override("en"):
        result = apply(world, "return", unit_a(world), expected_versions=preview.versions)
    assert indicators(result.affected) == ["1"]
    [skipped] = [s for s in result.skipped if s.answer.indicator == "2"]
    assert skipped.reason.startswith("Changed by")
    assert statuses(world, "2") == [Status.VERIFIED]


def test_an_answer_the_preview_skipped_keeps_its_reason_when_applied(world):
    submitted(world, "1")
    preview = services.bulk_preview(
        actor=world.koordinator, period_id=world.period.pk, action="return", scope=unit_a(world)
    )
    with translation.override("en"):
        result = apply(world, "return", unit_a(world), expected_versions=preview.versions)
    assert indicators(result.affected) == ["1"]
    assert {s.reason for s in result.skipped} == {
        "Only a submitted or verified answer can be returned."
    }


def test_the_preview_checks_an_extensions_date_and_refuses_an_empty_scope(world):
    def preview(scope, until):
        return services.bulk_preview(
            actor=world.koordinator,
            period_id=world.period.pk,
            action="extend",
            scope=scope,
            until=until,
        )

    with pytest.raises(InvalidInput) as error:
        preview(unit_a(world), datetime(2098, 1, 1, tzinfo=UTC))
    assert error.value.details[0]["location"] == "until"
    assert indicators(preview(unit_a(world), EXTENDED).affected) == ["1", "2", "3", "4", "5"]
    empty = Unit.objects.create(institution=world.institution, code="C", name="Dinas C")
    with pytest.raises(InvalidInput) as error:
        preview(BulkScope(unit_id=empty.pk), EXTENDED)
    assert error.value.details[0]["location"] == "unit"


def test_an_answer_not_in_the_preview_is_reported(world):
    submitted(world, "1")
    with translation.override("en"):
        result = apply(world, "return", unit_a(world), expected_versions={})
    assert result.affected == []
    assert result.skipped[0].reason.startswith("Not in the preview")


def _queries(world, unit, action, **kw) -> int:
    with CaptureQueriesContext(connection) as captured:
        apply(world, action, BulkScope(unit_id=unit.pk), **kw)
    return len(captured)


@pytest.mark.parametrize("action", ["reopen", "return", "extend"])
def test_it_runs_the_same_number_of_queries_for_many_answers_as_for_few(world, action):
    big = Unit.objects.create(institution=world.institution, code="C", name="Dinas C")
    answers = list(world.period.answers.order_by("position"))
    AnswerUnit.objects.bulk_create(AnswerUnit(answer=a, unit=big) for a in answers[10:40])
    submitted(world, *[a.indicator for a in answers[:2]], *[a.indicator for a in answers[10:40]])
    kw = {"until": EXTENDED} if action == "extend" else {}
    few = _queries(world, world.unit_a, action, **kw)
    many = _queries(world, big, action, **kw)
    assert many == few
