"""The stages of an assessment, in one place: their names and order, their labels, an answer's
value at each, the index the engine gives at each, and the headline stage - the furthest stage
at which every scored item has a value (docs/evaluator.md, "Headline stage").

The cycle: the institution's self-assessment (the answer's `level`), the internal verification
(`verified_level`), then the external assessors' passes (`AssessorPass`, stored under their
Indonesian names): document review, interview, site visit, and the final judgement. The pages of
one period and the workbooks score four stages (`SCORED`): the three passes before the final
one count as one, *provisional* - each answer at its latest judgement so far. The evaluator's
pages (monev.benchmarking) name that stage by the furthest pass reached (`named_stage`); it is
the same stage with the same values, so a period has the same headline everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from monev.core.engine import Result, score_items
from monev.core.model import Instrument
from monev.evaluations.models import AssessorPass

# The values are what the database, the snapshots and the API hold: never rename them here.
SELF = "self"  # the institution's own level
VERIFIED = "verified"  # the internal assessor's verified level
DOCUMENT, INTERVIEW, VISITATION, FINAL = (stage.value for stage in AssessorPass.ORDER)
PROVISIONAL = "provisional"  # the latest external judgement before the final one

EXTERNAL = (DOCUMENT, INTERVIEW, VISITATION)  # the assessors' passes before the final one
ORDER = (SELF, VERIFIED, *EXTERNAL, FINAL)  # every stage, in the order they happen
SCORED = (SELF, VERIFIED, PROVISIONAL, FINAL)  # the stages scored, in order

LABELS = {
    SELF: _("Self-assessed"),
    VERIFIED: _("Verified"),
    **{stage.value: stage.label for stage in AssessorPass.ORDER},
    PROVISIONAL: _("Provisional (assessors)"),
}


def stage_label(stage: str | None) -> str:
    """The stage's label ("" for no stage or an unknown one)."""
    return str(LABELS.get(stage, "")) if stage else ""


class ScoreStage:
    """The scored stages as one namespace (evaluations.selectors' historical name)."""

    SELF, VERIFIED, PROVISIONAL, FINAL = SELF, VERIFIED, PROVISIONAL, FINAL
    LABELS = {stage: LABELS[stage] for stage in SCORED}
    ORDER = SCORED


# --- an answer's value at each stage ----------------------------------------------------------


def stage_values(
    level: Decimal | None, verified: Decimal | None, passes: Mapping[str, Decimal]
) -> dict[str, Decimal | None]:
    """An answer's value at each scored stage, from its level, its verified level and its
    passes' levels by stage. Provisional is the latest external judgement before the final one
    (an answer not discussed at the interview keeps its document-review level)."""
    provisional = next((passes[s] for s in reversed(EXTERNAL) if s in passes), None)
    return {SELF: level, VERIFIED: verified, PROVISIONAL: provisional, FINAL: passes.get(FINAL)}


def answer_values(answer, passes: Mapping[str, AssessorPass]) -> dict[str, Decimal | None]:
    """`stage_values` of an Answer and its AssessorPass instances by stage."""
    levels = {stage: p.level for stage, p in passes.items()}
    return stage_values(answer.level, answer.verified_level, levels)


# --- the index at each stage ------------------------------------------------------------------


@dataclass(frozen=True)
class StageScore:
    stage: str
    result: Result | None  # None when no answer has a value at this stage yet
    given: int  # how many items have a value at this stage
    total: int

    @property
    def label(self):
        return LABELS[self.stage]

    @property
    def complete(self) -> bool:
        return self.given == self.total


def stage_scores(
    instrument: Instrument, values: list[dict[str, Decimal | None]], numbers: list[str]
) -> dict[str, StageScore]:
    """The index at each scored stage, computed by the engine from the answers (never stored).
    Items without a value at a stage count at the scale minimum, and the count says so."""
    scores = {}
    for stage in SCORED:
        given = {n: v[stage] for n, v in zip(numbers, values, strict=True) if v[stage] is not None}
        result = score_items(instrument, given, missing="min") if given else None
        scores[stage] = StageScore(stage, result, len(given), len(instrument.scored_items))
    return scores


# --- the headline stage -----------------------------------------------------------------------


def headline_stage(given: Mapping[str, int], total: int) -> str | None:
    """The headline stage: the furthest scored stage at which all `total` scored items have a
    value (`given`: how many have one at each stage); else self-assessed if any item has a
    level (the others counting at the scale minimum); else None. An instrument without scored
    items has no headline stage."""
    if total > 0:
        for stage in reversed(SCORED):
            if given.get(stage, 0) == total:
                return stage
    return SELF if given.get(SELF, 0) else None


def given_by_stage(
    values: Mapping[str, Mapping[str, Decimal | None]], numbers: Iterable[str]
) -> dict[str, int]:
    """How many of the items `numbers` have a value at each scored stage (`values`: each
    item's `stage_values`; an item without an answer has none)."""
    rows = [values[n] for n in numbers if n in values]
    return {stage: sum(1 for v in rows if v[stage] is not None) for stage in SCORED}


def instrument_headline(
    instrument: Instrument, values: Mapping[str, Mapping[str, Decimal | None]]
) -> str | None:
    """The headline stage of one period's answers (`values`: item number -> stage_values)."""
    numbers = instrument.items_by_number
    return headline_stage(given_by_stage(values, numbers), len(instrument.scored_items))


def scores_headline(scores: Mapping[str, StageScore]) -> str | None:
    """The headline stage of a period's `stage_scores`."""
    total = next(iter(scores.values())).total if scores else 0
    return headline_stage({stage: score.given for stage, score in scores.items()}, total)


def named_stage(stage: str | None, passes: Iterable[str]) -> str | None:
    """A scored stage as the evaluator's pages name it: provisional becomes the furthest
    external pass with at least one judgement in the period (`passes`: the stages of its
    judgements); the others are unchanged."""
    if stage != PROVISIONAL:
        return stage
    reached = set(passes)
    return next((s for s in reversed(EXTERNAL) if s in reached), PROVISIONAL)


def scored_stage(stage: str | None) -> str | None:
    """The scored stage a named stage belongs to (the inverse of `named_stage`)."""
    return PROVISIONAL if stage in EXTERNAL else stage
