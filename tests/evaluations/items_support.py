"""A pemdi-2026 period beside the `world`'s spbe one, for the item-level assessment tests:
indicators 1-5 belong to unit A, 6-10 to unit B; the self-assessment is closed (final
mandiri), so the external assessor can judge. Indicator 2 has two items at level 1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from monev.assignments.models import AssessorAssignment
from monev.evaluations import services
from monev.evaluations.models import Answer, AnswerUnit, Period
from monev.evaluations.services import ItemDecision

A, R = "accepted", "revision"
OPENS = datetime(2025, 1, 1, tzinfo=UTC)
CLOSES = datetime(2099, 1, 1, tzinfo=UTC)
World = Any  # tests/conftest.py's World


@dataclass
class Pemdi:
    world: World
    period: Period

    def answer(self, indicator: str) -> Answer:
        return Answer.objects.get(period=self.period, indicator=indicator)


def build_pemdi(world: World) -> Pemdi:
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
        milestones={"self_assessment_open": OPENS, "self_assessment_close": CLOSES},
    )
    answers = {a.indicator: a for a in period.answers.all()}
    AnswerUnit.objects.bulk_create(
        [AnswerUnit(answer=answers[str(n)], unit=world.unit_a) for n in range(1, 6)]
        + [AnswerUnit(answer=answers[str(n)], unit=world.unit_b) for n in range(6, 11)]
    )
    for number in ("1", "2", "3"):
        answer = answers[number]
        services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal("2"),
            explanation="Dokumen perencanaan ada.",
        )
    services.period_close_self_assessment(actor=world.koordinator, period_id=period.pk)
    # As on the world's period: the external assessor judges within an assignment.
    AssessorAssignment.objects.create(period=period, assessor=world.asesor_eksternal)
    return Pemdi(world, period)


def decide(level: int, position: int, status: str, kind: str = "", reason: str = ""):
    if status == R and not kind:
        kind = "not_appropriate"
    return ItemDecision(level, position, status, kind, reason)


def judge(
    pemdi: Pemdi, indicator: str, decisions, *, stage="document_review", actor=None, version=None
):
    answer = pemdi.answer(indicator)
    if version is None:
        current = answer.passes.filter(stage=stage).first()
        version = current.version if current else 0
    return services.items_judge(
        actor=actor or pemdi.world.asesor_eksternal,
        answer_id=answer.pk,
        stage=stage,
        decisions=decisions,
        expected_version=version,
    )
