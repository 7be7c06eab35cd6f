"""Item-level assessment (pemdi-2026): the service, the cascade, the value from the items,
direct entry beside it, permissions, concurrency, and the refusals (spbe, imported)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from items_support import A, R, build_pemdi, decide, judge

from monev.assignments.models import AssessorAssignment
from monev.audit.models import AuditEvent
from monev.evaluations import selectors, services
from monev.evaluations.models import AssessorPass, ItemJudgement
from monev.institutions.models import Role
from monev.lib.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from people_support import grant, make_user


@pytest.fixture
def pemdi(world):
    return build_pemdi(world)


def sheet_of(pemdi, indicator: str, stage: str | None = "document_review", user=None):
    user = user or pemdi.world.koordinator
    sheet, _access = selectors.item_sheet_for_user(user, pemdi.answer(indicator).pk, stage)
    return sheet


def test_one_of_two_items_accepted_gives_1_25_and_creates_the_pass(pemdi):
    assessor_pass = judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R)])
    assert assessor_pass.computed_level == Decimal("1.25")
    assert assessor_pass.level == Decimal("1.25")
    assert not assessor_pass.level_entered and not assessor_pass.differs
    assert assessor_pass.version == 1
    assert ItemJudgement.objects.filter(answer=pemdi.answer("2")).count() == 2
    event = AuditEvent.objects.filter(action="assessment.items").get()
    assert event.after["items"] == {"1.1": "accepted", "1.2": "revision (not_appropriate)"}
    assert event.answer_id == pemdi.answer("2").pk


def test_judging_again_updates_the_value_and_the_version(pemdi):
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R)])
    assessor_pass = judge(pemdi, "2", [decide(1, 1, A), decide(2, 0, A)])
    assert assessor_pass.version == 2
    assert assessor_pass.level == assessor_pass.computed_level
    # level 1 complete, level 2's one item accepted, level 3 pending -> 2.50
    assert assessor_pass.computed_level == Decimal("2.50")


def test_clearing_a_judgement_deletes_it(pemdi):
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, A)])
    assessor_pass = judge(pemdi, "2", [decide(1, 1, "pending")])
    assert ItemJudgement.objects.filter(answer=pemdi.answer("2")).count() == 1
    assert assessor_pass.computed_level == Decimal("1.25")


def test_items_above_a_rejected_level_are_shown_rejected_automatically_but_kept(pemdi):
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, A), decide(2, 0, A), decide(3, 0, A)])
    judge(pemdi, "2", [decide(1, 1, R, "not_uploaded")])
    sheet = sheet_of(pemdi, "2")
    by_level = {level.level: level for level in sheet.levels}
    assert [i.status for i in by_level[1].items] == [A, R]
    level2 = by_level[2].items[0]
    assert level2.status == "auto_rejected" and level2.judged == A
    assert by_level[3].items[0].auto_rejected
    with translation.override("en"):
        assert level2.reason_text.startswith("Automatically rejected because the previous")
    with translation.override("id"):
        assert level2.reason_text == (
            "Otomatis ditolak karena tingkat kematangan sebelumnya ditolak"
        )
    assert sheet.computed == Decimal("1.25")
    # the rejection lifted: the stored judgements above stand again
    judge(pemdi, "2", [decide(1, 1, A)])
    sheet = sheet_of(pemdi, "2")
    assert sheet.levels[1].items[0].status == A
    assert sheet.computed > Decimal("2.50")


def test_revision_needs_a_reason_and_other_needs_words(pemdi):
    with pytest.raises(InvalidInput) as refused:
        judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R, kind="-")])
    assert refused.value.details[0]["location"] == "items[1].reason_kind"
    with pytest.raises(InvalidInput) as refused:
        judge(pemdi, "2", [decide(1, 1, R, kind="other")])
    assert refused.value.details[0]["location"] == "items[0].reason"
    assessor_pass = judge(pemdi, "2", [decide(1, 1, R, "other", "Belum ditandatangani.")])
    stored = ItemJudgement.objects.get(answer=pemdi.answer("2"), level=1, position=1)
    assert (stored.reason_kind, stored.reason) == ("other", "Belum ditandatangani.")
    assert assessor_pass.version == 1  # the refused calls changed nothing


def test_unknown_levels_and_items_are_refused_together(pemdi):
    with pytest.raises(InvalidInput) as refused:
        judge(pemdi, "2", [decide(9, 0, A), decide(1, 5, A), decide(1, 0, "maybe")])
    locations = [d["location"] for d in refused.value.details]
    assert locations == ["items[0].level", "items[1].position", "items[2].status"]
    assert not ItemJudgement.objects.exists()


def test_an_spbe_period_is_refused(pemdi):
    world = pemdi.world
    answer = world.answer("1")
    services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(2),
        explanation="x",
    )
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    with translation.override("en"), pytest.raises(InvalidInput, match="no item-level"):
        services.items_judge(
            actor=world.asesor_eksternal,
            answer_id=answer.pk,
            stage="document_review",
            decisions=[decide(1, 0, A)],
            expected_version=0,
        )
    with pytest.raises(InvalidInput):
        selectors.item_sheet_for_user(world.koordinator, answer.pk)


def test_an_imported_indicator_is_refused(pemdi):
    with translation.override("en"), pytest.raises(InvalidInput, match="another agency"):
        judge(pemdi, "5", [decide(1, 0, A)])


def test_a_draft_answer_cannot_be_judged_yet(pemdi):
    from monev.evaluations.models import Answer

    Answer.objects.filter(pk=pemdi.answer("2").pk).update(status="draft")
    with pytest.raises(InvalidTransition):
        judge(pemdi, "2", [decide(1, 0, A)])


def test_later_stages_wait_for_the_document_review(pemdi):
    with pytest.raises(InvalidTransition):
        judge(pemdi, "2", [decide(1, 0, A)], stage="interview")
    judge(pemdi, "2", [decide(1, 0, A)])
    interview = judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, A)], stage="interview")
    assert interview.computed_level == Decimal("1.50")
    assert sheet_of(pemdi, "2", stage=None).stage == "interview"  # the latest judged stage


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("koordinator", Forbidden),
        ("operator", Forbidden),
        ("asesor_internal", Forbidden),
        ("pimpinan", Forbidden),
        ("outsider", NotFound),
        ("operator_b", NotFound),  # not their unit's answer
    ],
)
def test_only_the_external_assessor_judges(pemdi, persona, error):
    with pytest.raises(error):
        judge(pemdi, "2", [decide(1, 0, A)], actor=pemdi.world.personas()[persona])
    assert not ItemJudgement.objects.exists()


def test_an_assessor_of_another_institution_cannot_judge(pemdi):
    stranger = make_user("asesor_lain")
    grant(stranger, pemdi.world.other_institution, Role.ASESOR_EKSTERNAL)
    with pytest.raises(NotFound):
        judge(pemdi, "2", [decide(1, 0, A)], actor=stranger)


def test_an_assessor_assigned_other_aspects_cannot_judge(pemdi):
    world = pemdi.world
    AssessorAssignment.objects.update_or_create(
        period=pemdi.period, assessor=world.asesor_eksternal, defaults={"aspects": ["A7"]}
    )
    with translation.override("en"), pytest.raises(Forbidden, match="not assigned"):
        judge(pemdi, "2", [decide(1, 0, A)])  # indicator 2 is in aspect A1
    AssessorAssignment.objects.filter(period=pemdi.period).update(aspects=["A1"])
    assert judge(pemdi, "2", [decide(1, 0, A)]).computed_level == Decimal("1.25")


def test_a_stale_version_is_a_conflict_and_changes_nothing(pemdi):
    judge(pemdi, "2", [decide(1, 0, A)])
    with pytest.raises(Conflict) as conflict:
        judge(pemdi, "2", [decide(1, 1, A)], version=0)
    assert conflict.value.extra["current"]["version"] == 1
    assert conflict.value.extra["current"]["computed_level"] == "1.25"  # as it reads back
    assert ItemJudgement.objects.count() == 1


def test_direct_entry_needs_a_note_and_stands_beside_the_computed_value(pemdi):
    world = pemdi.world
    answer = pemdi.answer("2")
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R)])

    def enter(notes: str, version: int):
        return services.assessor_pass_save(
            actor=world.asesor_eksternal,
            answer_id=answer.pk,
            stage="document_review",
            level=Decimal("1.30"),
            notes=notes,
            expected_version=version,
        )

    with pytest.raises(InvalidInput) as refused:
        enter("  ", 1)
    assert refused.value.details[0]["location"] == "notes"
    entered = enter("Butir 1.2 sebagian terpenuhi.", 1)
    assert entered.level_entered and entered.level == Decimal("1.30")
    assert entered.computed_level == Decimal("1.25") and entered.differs
    # judging more items keeps the entered level and updates the computed one
    again = judge(pemdi, "2", [decide(1, 1, A)])
    assert again.level == Decimal("1.30") and again.computed_level == Decimal("1.50")
    sheet = sheet_of(pemdi, "2")
    assert sheet.entered == Decimal("1.30") and sheet.differs
    # the assessor lets the level follow the items again
    follows = services.items_judge(
        actor=world.asesor_eksternal,
        answer_id=answer.pk,
        stage="document_review",
        decisions=[],
        expected_version=again.version,
        follow_items=True,
    )
    assert not follows.level_entered and follows.level == Decimal("1.50") and not follows.differs


def test_direct_entry_on_spbe_needs_no_note(world):
    answer = world.answer("1")
    services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(2),
        explanation="x",
    )
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    saved = services.assessor_pass_save(
        actor=world.asesor_eksternal,
        answer_id=answer.pk,
        stage="document_review",
        level=Decimal(2),
        notes="",
        expected_version=0,
    )
    assert not saved.level_entered and saved.computed_level is None


def test_the_review_queue_row_carries_the_latest_pass(pemdi):
    judge(pemdi, "2", [decide(1, 0, A)])
    world = pemdi.world
    _period, access = selectors.period_for_user(world.asesor_eksternal, pemdi.period.pk)
    rows = {row.answer.indicator: row for row in selectors.review_queue(pemdi.period, access)}
    assert rows["2"].latest_pass.computed_level == Decimal("1.25")
    assert AssessorPass.objects.get(answer=pemdi.answer("2")).stage == "document_review"
