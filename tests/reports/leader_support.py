"""Helpers for the leader's view tests: a scored period with a plan over every indicator (steps
of different gains), last year's published index, and more of everything for the query
counts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from django.utils import translation
from pdf_support import PLAN_AT, save

from monev.evaluations import services
from monev.evaluations.models import AnswerUnit, AssessorPass, Period, PublishedResult
from monev.institutions.access import access_for
from monev.institutions.models import Unit
from monev.planning import services as planning_services
from monev.reports.leader import LeaderSummary, leader_summary

# The world's levels: 2 on indicators 1-10 (1.3 of the 100 weight each in spbe-2020), 3 on the
# others: the index is (13 x 2 + 87 x 3) / 100 = 2.87 exactly, Baik; 0.33 below a target of
# 3.20 (Baik), 0.12 above last year's published 2.75.
TARGET = "3.20"
LAST_YEAR = "2.75"


def levels(world) -> None:
    for answer in world.period.answers.order_by("position"):
        save(world, answer.indicator, "2" if int(answer.indicator) <= 10 else "3")


def target(world, value: str = TARGET) -> Period:
    Period.objects.filter(pk=world.period.pk).update(target=Decimal(value))
    world.period.refresh_from_db()
    return world.period


def published(world, index: str = LAST_YEAR, instrument: str = "spbe-2020", year: int = 2024):
    return PublishedResult.objects.create(
        institution=world.institution, year=year, instrument_id=instrument, index=Decimal(index)
    )


def evidence_deadline(world, when: datetime = datetime(2025, 8, 18, 16, 59, tzinfo=UTC)):
    services.milestone_set(
        actor=world.koordinator, period_id=world.period.pk, kind="evidence_deadline", due_at=when
    )


def plan(world, locked=()):
    """The least-effort plan to the target from the levels now (unlocked indicators only)."""
    return planning_services.plan_create(
        actor=world.koordinator, period_id=world.period.pk, locked=list(locked), now=PLAN_AT
    )


def ready(world, *, with_plan: bool = True) -> Period:
    """Levels, the target, last year's published index, the evidence deadline, and a plan
    over every indicator (its steps weigh differently: 1.3 to 3.0 of 100)."""
    levels(world)
    target(world)
    published(world)
    evidence_deadline(world)
    if with_plan:
        plan(world)
    return world.period


def summary_of(world, user=None, language: str = "en") -> LeaderSummary:
    user = user or world.pimpinan
    period = Period.objects.select_related("institution", "previous").get(pk=world.period.pk)
    with translation.override(language):
        summary = leader_summary(period, access_for(user, world.institution.pk))
        # Texts are made when first read, then kept: read them in `language`.
        assert len(summary.sentences) == 3
        assert summary.headline.differences is not None
    return summary


def grow(world) -> None:
    """Twelve more units on every answer, external judgements on every answer, more published
    years, and a new plan with more steps (over every indicator, to the scale's top)."""
    units = Unit.objects.bulk_create(
        Unit(institution=world.institution, code=f"U{n:02}", name=f"Dinas {n}") for n in range(12)
    )
    answers = list(world.period.answers.all())
    AnswerUnit.objects.bulk_create([AnswerUnit(answer=a, unit=u) for a in answers for u in units])
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=a, stage=AssessorPass.Stage.DOCUMENT, level=Decimal(2), notes="-")
        for a in answers
    )
    PublishedResult.objects.bulk_create(
        PublishedResult(
            institution=world.institution,
            year=year,
            instrument_id="spbe-2020",
            index=Decimal("2.10"),
        )
        for year in range(2021, 2024)
    )
    target(world, "4.80")
    plan(world)
