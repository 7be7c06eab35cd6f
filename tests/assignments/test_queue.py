"""The assessor's queue across institutions: what waits, at which stage, by which deadline."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from assign_support import grant, make_evaluators, make_institutions

from monev.assignments import selectors, services
from monev.evaluations import services as evaluation_services
from monev.evaluations.models import AssessorPass, Milestone
from monev.institutions.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluators(world):
    return make_evaluators(world)


def test_the_queue_lists_final_answers_of_the_assigned_aspects_at_their_next_stage(evaluators):
    assessor = evaluators.assessor
    (first, first_period), (second, second_period) = make_institutions(2)
    services.assignment_set(
        evaluators.national, period_id=first_period.pk, assessor_id=assessor.pk, aspects=["A3"]
    )
    services.assignment_set(None, period_id=second_period.pk, assessor_id=assessor.pk)
    review = datetime(2026, 8, 31, 9, tzinfo=UTC)
    Milestone.objects.create(period=first_period, kind="document_review", due_at=review)
    # Indicator 8 (A3) of the first institution: the document review is done.
    answer = first_period.answers.get(indicator="8")
    evaluation_services.assessor_pass_save(
        actor=assessor,
        answer_id=answer.pk,
        stage="document_review",
        level=Decimal("2.50"),
        notes="Dinilai langsung dari dokumen.",
        expected_version=0,
    )
    # Indicator 1 of the second institution is fully judged: not waiting any more.
    done = second_period.answers.get(indicator="1")
    AssessorPass.objects.create(answer=done, stage="final", level=Decimal(3), assessor=assessor)

    queue = selectors.assessor_queue(assessor)
    first_rows = [r for r in queue.rows if r.institution == first]
    second_rows = [r for r in queue.rows if r.institution == second]
    assert {r.aspect for r in first_rows} == {"A3"}
    assert len(second_rows) == 19  # 20 indicators, one judged to the end
    by_indicator = {r.answer.indicator: r for r in first_rows}
    assert by_indicator["8"].stage == "interview"
    other = next(r for r in first_rows if r.answer.indicator != "8")
    assert other.stage == "document_review" and other.deadline == review
    assert all(r.provisional for r in queue.rows)  # pemdi-2026
    assert queue.institutions == [first, second]
    assert queue.total == len(queue.rows)
    assert queue.rows[0].deadline == review  # soonest deadline first

    filtered = selectors.assessor_queue(assessor, institution_id=second.pk, stage="document_review")
    assert {r.institution for r in filtered.rows} == {second}
    assert filtered.total == queue.total


def test_a_member_without_assignment_has_nothing_to_judge(evaluators):
    ((_institution, period),) = make_institutions(1)
    grant(evaluators.assessor, period.institution, Role.ASESOR_EKSTERNAL)
    assert not selectors.assessor_queue(evaluators.assessor).rows
    services.assignment_set(None, period_id=period.pk, assessor_id=evaluators.assessor.pk)
    assert len(selectors.assessor_queue(evaluators.assessor).rows) == 20


def test_an_assignment_without_the_membership_gives_nothing(evaluators):
    ((_institution, period),) = make_institutions(1)
    assignment, _ = services.assignment_set(
        None, period_id=period.pk, assessor_id=evaluators.assessor.pk
    )
    assignment.membership.delete()  # an administrator took the access away
    assert not selectors.assessor_queue(evaluators.assessor).rows


@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_reads_a_fixed_number_of_queries(evaluators, count, django_assert_num_queries):
    for _institution, period in make_institutions(count):
        services.assignment_set(
            None, period_id=period.pk, assessor_id=evaluators.assessor.pk, aspects=["A1", "A4"]
        )
    with django_assert_num_queries(5):
        queue = selectors.assessor_queue(evaluators.assessor)
    assert len(queue.institutions) == count


def test_a_periods_review_queue_shows_an_assessor_only_their_aspects(evaluators):
    from django.test import Client

    from api_support import Api

    ((_institution, period),) = make_institutions(1)
    services.assignment_set(
        None, period_id=period.pk, assessor_id=evaluators.assessor.pk, aspects=["A2"]
    )
    client = Client()
    client.force_login(evaluators.assessor)
    page = client.get(f"/periode/{period.pk}/antrian/")
    assert page.status_code == 200
    body = Api.token(evaluators.assessor).get(f"/periods/{period.pk}/review-queue").json()
    indicators = {item["indicator"] for item in body["answers"]}
    a2 = {i.number for i in selectors.instrument_of(period).indicators if i.aspect == "A2"}
    assert indicators == a2
