"""Assigning external assessors: memberships, aspects, permissions, audit."""

from __future__ import annotations

import pytest
from assign_support import grant, make_evaluators

from monev.assignments import services
from monev.assignments.models import AssessorAssignment
from monev.audit.models import AuditEvent
from monev.evaluations import services as evaluation_services
from monev.institutions.models import Membership, Role
from monev.lib.errors import Forbidden, InvalidInput, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluators(world):
    return make_evaluators(world)


def _membership(user, institution):
    return Membership.objects.filter(
        user=user, institution=institution, role=Role.ASESOR_EKSTERNAL
    ).first()


def test_assigning_gives_the_assessor_a_membership_and_unassigning_takes_it_back(evaluators):
    world, assessor = evaluators.world, evaluators.assessor
    assignment, created = services.assignment_set(
        evaluators.national, period_id=world.period.pk, assessor_id=assessor.pk, aspects=["a2"]
    )
    assert created and assignment.aspects == ["A2"]
    assert assignment.assigned_by == evaluators.national
    membership = _membership(assessor, world.institution)
    assert membership is not None and assignment.membership == membership
    actions = list(
        AuditEvent.objects.filter(institution_id=world.institution.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["membership.add", "assignment.create"]

    services.assignment_remove(evaluators.national, assignment_id=assignment.pk)
    assert not AssessorAssignment.objects.exists()
    assert _membership(assessor, world.institution) is None
    last = AuditEvent.objects.filter(institution_id=world.institution.pk).order_by("-seq")
    assert list(last.values_list("action", flat=True)[:2]) == [
        "membership.remove",
        "assignment.delete",
    ]


def test_a_membership_granted_by_hand_stays_when_the_assignment_goes(evaluators):
    world = evaluators.world
    assignment, _created = services.assignment_set(
        evaluators.national, period_id=world.period.pk, assessor_id=world.asesor_eksternal.pk
    )
    assert assignment.membership is None
    services.assignment_remove(evaluators.national, assignment_id=assignment.pk)
    assert _membership(world.asesor_eksternal, world.institution) is not None


def test_the_membership_stays_while_another_assignment_in_the_institution_needs_it(evaluators):
    world, assessor = evaluators.world, evaluators.assessor
    later = evaluation_services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
    )
    first, _ = services.assignment_set(
        evaluators.jabar, period_id=world.period.pk, assessor_id=assessor.pk
    )
    second, _ = services.assignment_set(
        evaluators.jabar, period_id=later.pk, assessor_id=assessor.pk, aspects=["A3"]
    )
    services.assignment_remove(evaluators.jabar, assignment_id=first.pk)
    assert _membership(assessor, world.institution) is not None
    second.refresh_from_db()
    assert second.membership is not None  # it owns the membership now
    services.assignment_remove(evaluators.jabar, assignment_id=second.pk)
    assert _membership(assessor, world.institution) is None


def test_setting_again_changes_the_aspects_and_records_it_once(evaluators):
    world, assessor = evaluators.world, evaluators.assessor
    services.assignment_set(evaluators.national, period_id=world.period.pk, assessor_id=assessor.pk)
    _assignment, created = services.assignment_set(
        evaluators.national,
        period_id=world.period.pk,
        assessor_id=assessor.pk,
        aspects=["A3", "A1", "A1"],
    )
    assert not created
    assert AssessorAssignment.objects.get().aspects == ["A1", "A3"]  # instrument order
    count = AuditEvent.objects.filter(action="assignment.update").count()
    services.assignment_set(
        evaluators.national,
        period_id=world.period.pk,
        assessor_id=assessor.pk,
        aspects=["A1", "A3"],
    )
    assert AuditEvent.objects.filter(action="assignment.update").count() == count == 1


def test_a_province_evaluator_cannot_assign_in_another_province(evaluators):
    world = evaluators.world
    other_period = evaluation_services.period_create(
        actor=world.outsider,
        institution_id=world.other_institution.pk,
        year=2025,
        kind="evaluasi",
        instrument="spbe-2020",
    )
    with pytest.raises(NotFound):
        services.assignment_set(
            evaluators.jabar, period_id=other_period.pk, assessor_id=evaluators.assessor.pk
        )
    assert not AssessorAssignment.objects.exists()
    assert _membership(evaluators.assessor, world.other_institution) is None


def test_a_koordinator_cannot_assign(evaluators):
    world = evaluators.world
    with pytest.raises(Forbidden):
        services.assignment_set(
            world.koordinator, period_id=world.period.pk, assessor_id=evaluators.assessor.pk
        )
    assignment, _ = services.assignment_set(
        evaluators.national, period_id=world.period.pk, assessor_id=evaluators.assessor.pk
    )
    with pytest.raises(Forbidden):
        services.assignment_remove(world.koordinator, assignment_id=assignment.pk)
    with pytest.raises(NotFound):
        services.assignment_remove(world.outsider, assignment_id=assignment.pk)


def test_it_refuses_unknown_aspects_and_members_of_the_institution(evaluators):
    world = evaluators.world
    with pytest.raises(InvalidInput) as refused:
        services.assignment_set(
            evaluators.national,
            period_id=world.period.pk,
            assessor_id=evaluators.assessor.pk,
            aspects=["A9"],
        )
    assert "A9" in str(refused.value.message)
    with pytest.raises(InvalidInput):  # the institution's own koordinator
        services.assignment_set(
            evaluators.national, period_id=world.period.pk, assessor_id=world.koordinator.pk
        )
    assert not AssessorAssignment.objects.exists()
    assert not Membership.objects.filter(user=evaluators.assessor).exists()


def test_the_system_assigns_without_a_scope(evaluators):
    world = evaluators.world
    assignment, created = services.assignment_set(
        None, period_id=world.period.pk, assessor_id=evaluators.assessor.pk
    )
    assert created and assignment.assigned_by is None


def test_an_assessor_of_another_institution_keeps_that_membership(evaluators):
    world, assessor = evaluators.world, evaluators.assessor
    grant(assessor, world.other_institution, Role.ASESOR_EKSTERNAL)
    assignment, _ = services.assignment_set(
        evaluators.national, period_id=world.period.pk, assessor_id=assessor.pk
    )
    services.assignment_remove(evaluators.national, assignment_id=assignment.pk)
    assert _membership(assessor, world.other_institution) is not None


def test_a_change_from_a_stale_view_is_refused_and_loses_nothing(evaluators):
    from monev.lib.errors import Conflict

    world, assessor = evaluators.world, evaluators.assessor
    assignment, _ = services.assignment_set(
        evaluators.national, period_id=world.period.pk, assessor_id=assessor.pk, aspects=["A1"]
    )
    seen = services.assignments_fingerprint([assignment])
    # Another evaluator changes the aspects meanwhile (version 1 -> 2).
    services.assignment_set(
        evaluators.jabar,
        period_id=world.period.pk,
        assessor_id=assessor.pk,
        aspects=["A2"],
        expected_version=1,
    )
    with pytest.raises(Conflict):
        services.assignment_set(
            evaluators.national,
            period_id=world.period.pk,
            assessor_id=assessor.pk,
            aspects=["A3"],
            expected_version=1,
        )
    with pytest.raises(Conflict):
        services.assignment_set(
            evaluators.national,
            period_id=world.period.pk,
            assessor_id=assessor.pk,
            aspects=["A3"],
            expected_fingerprint=seen,
        )
    with pytest.raises(Conflict):  # expecting no assignment where there is one
        services.assignment_set(
            evaluators.national,
            period_id=world.period.pk,
            assessor_id=assessor.pk,
            aspects=["A3"],
            expected_version=0,
        )
    current = AssessorAssignment.objects.get()
    assert current.aspects == ["A2"] and current.version == 2


def test_only_outsiders_to_every_institution_can_be_external_assessors(evaluators):
    """An assignment grants view, assess and comment: an evaluator may not hand that to the
    koordinator of another institution, nor to an evaluator (themselves included)."""
    world = evaluators.world
    for insider, reason in (
        (world.outsider, "Koordinator"),  # koordinator of Kabupaten Lain
        (evaluators.jabar, "evaluator"),
        (evaluators.national, "evaluator"),
    ):
        for actor in (evaluators.national, None):
            with pytest.raises(InvalidInput) as refused:
                services.assignment_set(actor, period_id=world.period.pk, assessor_id=insider.pk)
            assert reason in str(refused.value.message), refused.value.message
            assert refused.value.details[0]["location"] == "assessor"
    assert not AssessorAssignment.objects.exists()
    assert not Membership.objects.filter(user=world.outsider, institution=world.institution)
    # Someone with no role anywhere, or an external assessor of another institution, is one.
    grant(evaluators.assessor, world.other_institution, Role.ASESOR_EKSTERNAL)
    assignment, created = services.assignment_set(
        evaluators.national, period_id=world.period.pk, assessor_id=evaluators.assessor.pk
    )
    assert created and assignment.assessor == evaluators.assessor
