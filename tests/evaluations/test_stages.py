"""The stages of an assessment (monev.evaluations.stages): their order, an answer's value at
each, and the headline stage - one rule, so the ranking and the recap workbook agree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.accounts.models import User
from monev.benchmarking import selectors as benchmarking
from monev.core.registry import catalog
from monev.evaluations import selectors, stages
from monev.evaluations.models import Answer, AssessorPass
from monev.institutions.permissions import Access
from monev.reports.institutions import institutions_recap

D = Decimal


def test_the_stages_run_from_the_self_assessment_through_verification_to_the_passes():
    assert stages.ORDER == (
        "self",
        "verified",
        "document_review",
        "interview",
        "visitation",
        "final",
    )
    assert (*stages.EXTERNAL, stages.FINAL) == tuple(AssessorPass.ORDER)
    assert stages.SCORED == ("self", "verified", "provisional", "final")
    assert stages.ScoreStage.ORDER == stages.SCORED


def test_every_stage_has_one_label_wherever_it_is_shown():
    for stage in (*stages.ORDER, stages.PROVISIONAL):
        assert stages.stage_label(stage)
    assert stages.stage_label(stages.DOCUMENT) == str(AssessorPass.Stage.DOCUMENT.label)
    assert {s: str(label) for s, label in stages.ScoreStage.LABELS.items()} == {
        s: stages.stage_label(s) for s in stages.SCORED
    }
    assert stages.stage_label("") == stages.stage_label(None) == ""
    assert stages.stage_label("unknown") == ""


def test_an_answer_has_its_own_and_its_verified_level_and_no_judgement_before_any_pass():
    assert stages.stage_values(D(2), D(3), {}) == {
        "self": D(2),
        "verified": D(3),
        "provisional": None,
        "final": None,
    }


def test_provisional_is_the_latest_judgement_before_the_final_one():
    document = {stages.DOCUMENT: D(2)}
    assert stages.stage_values(D(1), None, document)[stages.PROVISIONAL] == D(2)
    # Not discussed at the interview: the document-review level stands until the visit.
    visited = {**document, stages.VISITATION: D(4)}
    assert stages.stage_values(D(1), None, visited)[stages.PROVISIONAL] == D(4)
    interviewed = {**document, stages.INTERVIEW: D(3)}
    assert stages.stage_values(D(1), None, interviewed)[stages.PROVISIONAL] == D(3)
    final = {**visited, stages.FINAL: D(5)}
    values = stages.stage_values(D(1), None, final)
    assert (values[stages.PROVISIONAL], values[stages.FINAL]) == (D(4), D(5))


def test_the_values_of_model_instances_are_those_of_their_fields():
    answer = Answer(level=D(2), verified_level=D(3))
    passes = {
        "document_review": AssessorPass(stage="document_review", level=D(4)),
        "final": AssessorPass(stage="final", level=D(5)),
    }
    expected = stages.stage_values(D(2), D(3), {"document_review": D(4), "final": D(5)})
    assert stages.answer_values(answer, passes) == expected
    assert selectors.stage_values(answer, passes) == expected  # the name kept in selectors


def test_the_headline_is_the_furthest_stage_every_item_has_a_value_at():
    full = dict.fromkeys(stages.SCORED, 3)
    assert stages.headline_stage(full, 3) == stages.FINAL
    assert stages.headline_stage({**full, stages.FINAL: 2}, 3) == stages.PROVISIONAL
    # A gap at a later stage does not hide an earlier complete one.
    gaps = {stages.SELF: 3, stages.VERIFIED: 3, stages.PROVISIONAL: 1, stages.FINAL: 0}
    assert stages.headline_stage(gaps, 3) == stages.VERIFIED


def test_with_gaps_everywhere_the_headline_is_the_self_assessment_if_any_level_is_given():
    gaps = {stages.SELF: 1, stages.VERIFIED: 2, stages.PROVISIONAL: 0, stages.FINAL: 0}
    assert stages.headline_stage(gaps, 3) == stages.SELF
    assert stages.headline_stage(dict.fromkeys(stages.SCORED, 0), 3) is None
    assert stages.headline_stage({}, 0) is None  # an instrument without scored items


def test_an_item_without_an_answer_is_a_gap_and_answers_outside_the_instrument_do_not_count():
    instrument = catalog().get("spbe-2020")
    numbers = list(instrument.items_by_number)
    complete = dict.fromkeys(stages.SCORED, D(3))
    values = {n: complete for n in numbers}
    assert stages.instrument_headline(instrument, values) == stages.FINAL
    missing_one = {n: complete for n in numbers[1:]} | {"extra": complete}
    assert stages.instrument_headline(instrument, missing_one) == stages.SELF
    # The per-period pages' scores give the same headline.
    scores = selectors.stage_scores(instrument, list(values.values()), list(values))
    assert stages.scores_headline(scores) == stages.FINAL


def test_the_ranking_names_provisional_by_the_furthest_pass_reached():
    assert stages.named_stage(stages.PROVISIONAL, {"document_review"}) == stages.DOCUMENT
    assert (
        stages.named_stage(stages.PROVISIONAL, {"document_review", "visitation"})
        == stages.VISITATION
    )
    assert stages.named_stage(stages.VERIFIED, {"document_review"}) == stages.VERIFIED
    assert stages.named_stage(None, ()) is None
    for stage in stages.EXTERNAL:
        assert stages.scored_stage(stage) == stages.PROVISIONAL
    for stage in stages.SCORED:
        assert stages.scored_stage(stages.named_stage(stage, stages.EXTERNAL)) == stage


# --- the ranking (benchmarking) and the recap (reports) agree ----------------------------------


def _ranking_and_recap(world):
    national = User.objects.filter(username="stages-evaluator").first() or (
        User.objects.create_user(
            username="stages-evaluator", password="x", evaluator_scope="nasional"
        )
    )
    ranking = benchmarking.ranking(national, year=2025, instrument_id="spbe-2020")
    ranked = next(r for r in ranking.rows if r.institution.pk == world.institution.pk)
    recap = institutions_recap(Access.system_viewer(), 2025, "spbe-2020")
    recapped = next(r for r in recap.rows if r.institution.pk == world.institution.pk)
    return ranked, recapped


def _same_headline(world):
    ranked, recapped = _ranking_and_recap(world)
    assert stages.scored_stage(ranked.stage or None) == recapped.stage
    if recapped.result is None:
        assert ranked.index is None
    else:
        assert ranked.index == recapped.result.index.reported
    return ranked.stage, recapped.stage


@pytest.mark.django_db
def test_the_same_answers_have_the_same_headline_in_the_ranking_and_the_recap(world):
    answers = world.period.answers.order_by("position")
    assert _same_headline(world) == ("", None)  # nothing entered
    answers.filter(indicator__in=["1", "2"]).update(level=D(4))
    assert _same_headline(world) == ("self", "self")  # gaps: the others count at the minimum
    answers.update(level=D(2), verified_level=D(3), status=Answer.Status.FINAL)
    assert _same_headline(world) == ("verified", "verified")
    first, *others = list(answers)
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=a, stage="document_review", level=D(4)) for a in others
    )
    assert _same_headline(world) == ("verified", "verified")  # one answer not judged yet
    AssessorPass.objects.create(answer=first, stage="document_review", level=D(1))
    assert _same_headline(world) == ("document_review", "provisional")
    AssessorPass.objects.create(answer=first, stage="visitation", level=D(5))
    assert _same_headline(world) == ("visitation", "provisional")
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=a, stage="final", level=D(5)) for a in others
    )
    assert _same_headline(world) == ("visitation", "provisional")  # one final judgement missing
    AssessorPass.objects.create(answer=first, stage="final", level=D(3))
    assert _same_headline(world) == ("final", "final")
