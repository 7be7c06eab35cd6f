"""Helpers for the monitoring tests: levels, snapshots, history and growth."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from monev.evaluations import services
from monev.evaluations.models import AnswerUnit, Milestone, PublishedResult
from monev.evidence.models import Evidence, EvidenceLink
from monev.institutions.models import Unit
from monev.monitoring.services import snapshot_take

TEXT = "Perwal 12/2024 tentang SPBE."


def save(world, indicator: str, level: str, actor=None):
    answer = world.answer(indicator)
    return services.answer_save(
        actor=actor or world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level),
        explanation=TEXT,
    )


def fill(world, level: str = "3", numbers=range(1, 48)) -> None:
    for n in numbers:
        save(world, str(n), level)


def milestone(world, kind: str, when: datetime) -> Milestone:
    return services.milestone_set(
        actor=world.koordinator, period_id=world.period.pk, kind=kind, due_at=when
    )


def grow(world, units: int = 15) -> None:
    """More units, assignments, levels, evidence links, snapshots, audit events, history."""
    institution = world.institution
    new_units = Unit.objects.bulk_create(
        Unit(institution=institution, code=f"U{n:02}", name=f"Dinas {n}") for n in range(units)
    )
    answers = list(world.period.answers.all())
    AnswerUnit.objects.bulk_create(
        [AnswerUnit(answer=a, unit=u) for a in answers for u in new_units[:5]]
    )
    for n in range(11, 20):
        answer = save(world, str(n), "2")
        services.answer_submit(
            actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version
        )
    evidence = Evidence.objects.bulk_create(
        Evidence(institution=institution, title=f"Bukti {n}", kind=Evidence.Kind.REPORT)
        for n in range(10)
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(answer=a, evidence=e, level=1) for a in answers[:20] for e in evidence
    )
    for n in range(3):
        snapshot_take(actor=world.koordinator, period_id=world.period.pk, label=f"Potret {n}")
    PublishedResult.objects.bulk_create(
        PublishedResult(
            institution=institution,
            year=year,
            instrument_id="spbe-2018" if year < 2021 else "spbe-2020",
            index=Decimal("2.50"),
        )
        for year in range(2018, 2025)
    )


def at(year, month, day) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)
