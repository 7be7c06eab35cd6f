"""Helpers for the planning tests: levels set through the answer service, a deadline, a plan."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from monev.evaluations import services as evaluation_services
from monev.planning import services

TEXT = "Perwal 12/2024 tentang SPBE."
NOW = datetime(2025, 7, 22, 9, 0, tzinfo=UTC)  # inside the world's self-assessment window
DEADLINE = datetime(2025, 8, 18, 16, 59, tzinfo=UTC)  # 23:59 in Jakarta
UNITS_ITEMS = [str(n) for n in range(1, 11)]  # world: 1-5 unit A, 6-10 unit B


def set_levels(world, level: str = "2", only=None) -> None:
    for answer in world.period.answers.all():
        if only is not None and answer.indicator not in only:
            continue
        evaluation_services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal(level),
            explanation=TEXT,
            now=NOW,
        )


def set_deadline(world, when=DEADLINE) -> None:
    evaluation_services.milestone_set(
        actor=world.koordinator, period_id=world.period.pk, kind="evidence_deadline", due_at=when
    )


def others(world) -> list[str]:
    """Every indicator that has no responsible unit in the world (to lock them)."""
    return [
        n for n in world.period.answers.values_list("indicator", flat=True) if n not in UNITS_ITEMS
    ]


def planned(world, target: str = "2.10", **kwargs):
    """A plan over the unit-owned indicators 1-10 (the others locked), as of NOW."""
    kwargs.setdefault("locked", others(world))
    return services.plan_create(
        actor=world.koordinator,
        period_id=world.period.pk,
        target=Decimal(target),
        now=NOW,
        **kwargs,
    )


def ready(world) -> None:
    set_levels(world)
    set_deadline(world)
