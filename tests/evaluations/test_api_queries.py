"""SQL queries per API read: a fixed number, whatever the amount of data (asserted before
and after the world grows by units, assignments, comments, passes, events, periods, tokens
and memberships). Every count starts with the session and the user (2 queries)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api_support import Api
from monev.accounts import services as account_services
from monev.evaluations import services
from monev.evaluations.models import AnswerUnit, AssessorPass, Comment
from monev.institutions.models import Institution, Membership, Role, Unit


def grow(world) -> None:
    """Many more of everything an endpoint might list or join."""
    institution = world.institution
    units = Unit.objects.bulk_create(
        Unit(institution=institution, code=f"U{n:02}", name=f"Dinas {n}") for n in range(20)
    )
    answers = list(world.period.answers.all())
    AnswerUnit.objects.bulk_create(
        [AnswerUnit(answer=a, unit=u) for a in answers for u in units[:4]]
    )
    Comment.objects.bulk_create(
        Comment(answer=a, author=world.koordinator, body=f"Catatan {n}")
        for a in answers
        for n in range(3)
    )
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=a, stage=stage, level=Decimal(3), assessor=world.asesor_eksternal)
        for a in answers
        for stage in ("document_review", "interview", "final")
    )
    for indicator in ("1", "2", "6"):  # audit events, and answers waiting for review
        answer = world.answer(indicator)
        answer = services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal(2),
            explanation="Draf",
        )
        services.answer_submit(
            actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version
        )
    for year in (2022, 2023, 2024):
        services.period_create(
            actor=world.koordinator,
            institution_id=institution.pk,
            year=year,
            kind="evaluasi",
            instrument="spbe-2020",
        )
    for n in range(5):
        account_services.token_create(actor=world.koordinator, name=f"skrip {n}")
    for n in range(3):
        other = Institution.objects.create(code=f"lain-{n}", name=f"Lain {n}", kind="kota")
        Membership.objects.create(user=world.koordinator, institution=other, role=Role.PIMPINAN)


# (persona, path, queries): after the session and the user -
READS = [
    # the periods with their institutions
    ("koordinator", "/periods", 3),
    # period + institution, memberships, milestones, answers (+ comment counts, updaters),
    # their units, their passes, the period's evidence links
    ("koordinator", "/periods/{period}", 9),
    # an operator's: the same for their answers, and all answers with passes for the scores
    ("operator", "/periods/{period}", 11),
    # period, memberships, milestones, answers, units, passes; the deadlines ahead
    ("operator", "/periods/{period}/todo", 9),
    # + the answers' evidence (the overview's flags) and the units' deadline extensions
    ("asesor_internal", "/periods/{period}/review-queue", 11),
    # period, memberships; the unit x answer pairs, the answers, the units
    ("koordinator", "/periods/{period}/assignments", 7),
    # period, memberships; the count and the page of events
    ("koordinator", "/periods/{period}/audit", 6),
    # answer + period, memberships, milestones, the answer again with its units and passes,
    # comments with authors, the institution's units; its self-assessment window (the
    # actions' states)
    ("koordinator", "/answers/{answer}", 11),
    # an operator's: also the answer's units, to check that it is theirs
    ("operator", "/answers/{answer}", 12),
    ("koordinator", "/tokens", 3),
    # memberships with institutions and units
    ("koordinator", "/me", 3),
]


@pytest.mark.parametrize(("persona", "path", "queries"), READS)
def test_it_reads_in_a_constant_number_of_queries(
    world, django_assert_num_queries, persona, path, queries
):
    api = Api.session(getattr(world, persona))
    path = path.format(period=world.period.pk, answer=world.answer("1").pk)
    with django_assert_num_queries(queries):
        small = api.get(path)
    grow(world)
    with django_assert_num_queries(queries):
        large = api.get(path)
    assert small.status_code == large.status_code == 200
    assert large.content != small.content  # the growth shows in the answer
