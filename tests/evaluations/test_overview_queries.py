"""The period overview runs a fixed number of SQL queries however many units, unit links,
comments and assessor passes the period has (2 units and 10 links vs 60 units and 2,820 links)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monev.accounts.models import User
from monev.evaluations import selectors, services
from monev.evaluations.models import Answer, AnswerUnit, AssessorPass, Comment
from monev.institutions.access import access_for
from monev.institutions.models import Institution, Membership, Role, Unit

pytestmark = pytest.mark.django_db

UNITS = 60


def build_large_period(world):
    """One institution with 60 units; every answer of its spbe-2020 period is linked to every
    unit, has comments, a level, and (for some) the assessors' passes."""
    institution = Institution.objects.create(code="kota-besar", name="Kota Besar", kind="kota")
    koordinator = User.objects.create_user(username="koordinator_besar")
    operator = User.objects.create_user(username="operator_besar")
    Membership.objects.create(user=koordinator, institution=institution, role=Role.KOORDINATOR)
    Unit.objects.bulk_create(
        [
            Unit(institution=institution, code=f"U{n:02}", name=f"Dinas {n}", short_name=f"D{n}")
            for n in range(1, UNITS + 1)
        ]
    )
    units = list(institution.units.all())
    Membership.objects.create(
        user=operator, institution=institution, role=Role.OPERATOR, unit=units[0]
    )
    period = services.period_create(
        actor=koordinator,
        institution_id=institution.pk,
        year=2025,
        kind="evaluasi",
        instrument="spbe-2020",
    )
    answers = list(period.answers.all())
    for answer in answers:
        answer.level, answer.explanation, answer.updated_by = Decimal(3), "ada", koordinator
        answer.status = Answer.Status.FINAL
    Answer.objects.bulk_update(answers, ["level", "explanation", "updated_by", "status"])
    AnswerUnit.objects.bulk_create(
        [AnswerUnit(answer=answer, unit=unit) for answer in answers for unit in units]
    )
    Comment.objects.bulk_create(
        [
            Comment(answer=answer, author=koordinator, body=f"catatan {n}")
            for answer in answers
            for n in range(3)
        ]
    )
    AssessorPass.objects.bulk_create(
        [
            AssessorPass(answer=answer, stage=stage, level=Decimal(2), assessor=koordinator)
            for answer in answers[::2]
            for stage in (AssessorPass.Stage.DOCUMENT, AssessorPass.Stage.INTERVIEW)
        ]
    )
    return period, koordinator, operator


def overview_queries(period, user) -> tuple[int, selectors.PeriodOverview]:
    access = access_for(user, period.institution_id)
    with CaptureQueriesContext(connection) as context:
        overview = selectors.period_overview(period, access)
        # Touch what the page shows, so lazy loads would be counted too.
        for row in overview.rows:
            _ = [unit.short_name for unit in row.units], row.passes, row.comment_count
            _ = row.answer.updated_by
    return len(context.captured_queries), overview


def test_it_runs_the_same_queries_for_2_units_and_for_60(world):
    large, koordinator, _operator = build_large_period(world)
    small_count, small = overview_queries(world.period, world.koordinator)
    large_count, overview = overview_queries(large, koordinator)
    assert AnswerUnit.objects.filter(answer__period=large).count() == 47 * UNITS
    assert sum(len(row.units) for row in overview.rows) == 47 * UNITS
    assert sum(row.comment_count for row in overview.rows) == 47 * 3
    assert len(small.rows) == len(overview.rows) == 47
    assert small_count == large_count
    # milestones; answers with comment counts and updated_by; unit links with units; passes;
    # the period's evidence links (counts and the no_evidence flag)
    assert large_count == 5


def test_it_runs_the_same_queries_for_an_operator_as_data_grows(world):
    large, _koordinator, operator = build_large_period(world)
    small_count, _ = overview_queries(world.period, world.operator)
    large_count, overview = overview_queries(large, operator)
    assert len(overview.rows) == 47
    assert small_count == large_count
