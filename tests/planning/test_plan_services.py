"""The planning services: the plan from the self-assessed levels, its action items with units
and due dates, superseding, completing, reassigning, efforts, permissions and audit events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from planning_support import NOW, UNITS_ITEMS, others, planned, ready, set_deadline, set_levels

from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify
from monev.core.engine import score_items
from monev.evaluations.period_instrument import instrument_of
from monev.lib.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from monev.planning import services
from monev.planning.models import ActionItem, EffortOverride, Plan

pytestmark = pytest.mark.django_db


def test_it_plans_the_target_as_action_items_with_units_and_dates(world):
    ready(world)
    plan = planned(world, "2.10")
    assert plan.reachable and plan.status == Plan.Status.ACTIVE
    assert plan.index_before == Decimal("2.00") and Fraction(plan.index_after_exact) >= Fraction(
        "2.10"
    )
    items = list(plan.items.select_related("answer", "unit").order_by("position"))
    assert items and {i.answer.indicator for i in items} <= set(UNITS_ITEMS)
    expected_unit = {n: ("A" if int(n) <= 5 else "B") for n in UNITS_ITEMS}
    assert all(i.unit.code == expected_unit[i.answer.indicator] for i in items)
    assert all(date(2025, 7, 22) <= i.due_date < date(2025, 8, 18) for i in items)
    assert [i.due_date for i in items] == sorted(i.due_date for i in items)
    assert [i.from_level for i in items] == sorted(i.from_level for i in items)  # lower first
    assert sum(i.effort for i in items) == plan.total_effort
    # The plan's levels, scored by the engine, give the index after.
    instrument = instrument_of(world.period)
    levels = {a.indicator: a.level for a in world.period.answers.all()}
    for item in items:
        levels[item.answer.indicator] = Decimal(item.to_level)
    assert score_items(instrument, levels).index.reported == plan.index_after
    event = AuditEvent.objects.get(action="plan.create")
    assert event.after["reachable"] is True and event.period_id == world.period.pk


def test_it_takes_the_period_target_by_default_and_needs_one(world):
    ready(world)
    with pytest.raises(InvalidInput):
        services.plan_create(actor=world.koordinator, period_id=world.period.pk, now=NOW)
    world.period.target = Decimal("2.05")
    world.period.save()
    plan = services.plan_create(
        actor=world.koordinator, period_id=world.period.pk, locked=others(world), now=NOW
    )
    assert plan.target == Decimal("2.05") and plan.reachable


def test_it_supersedes_the_previous_plan_and_keeps_it(world):
    ready(world)
    first = planned(world, "2.05")
    second = planned(world, "2.10")
    first.refresh_from_db()
    assert first.status == Plan.Status.SUPERSEDED and first.superseded_at == NOW
    assert second.status == Plan.Status.ACTIVE
    assert Plan.objects.filter(period=world.period).count() == 2
    item = first.items.first()
    with pytest.raises(InvalidTransition):
        services.action_item_complete(actor=world.koordinator, item_id=item.pk)


def test_it_says_when_the_target_cannot_be_reached_and_plans_the_best(world):
    ready(world)
    plan = planned(world, "4.62")
    assert not plan.reachable
    assert Fraction(plan.index_after_exact) < Fraction("4.62")
    items = list(plan.items.all())
    assert len(items) == 30  # every step of 1-10 from 2 to 5: the best reachable
    assert all(i.to_level <= 5 for i in items)


def test_it_honours_locked_and_forced_indicators(world):
    ready(world)
    locked = [*others(world), "1", "2"]
    plan = planned(world, "2.05", locked=locked, forced={"9": 4})
    numbers = [i.answer.indicator for i in plan.items.select_related("answer")]
    assert "1" not in numbers and "2" not in numbers
    assert numbers.count("9") >= 2  # 2 -> 3 -> 4
    assert plan.parameters["forced"] == {"9": 4}


def test_it_refuses_bad_parameters_with_every_problem(world):
    ready(world)
    with pytest.raises(InvalidInput) as error:
        planned(world, "9", locked=["999"], forced={"1": 7}, capacities={"ZZ": 1})
    locations = {d["location"] for d in error.value.details}
    assert {"target", "locked", "forced.1", "capacities"} <= locations


def test_it_gives_no_dates_without_an_evidence_deadline(world):
    set_levels(world)
    plan = planned(world, "2.05")
    assert {i.due_date for i in plan.items.all()} == {None}


def test_it_spreads_due_dates_evenly_before_the_deadline():
    dates = services.due_dates(4, date(2025, 7, 22), date(2025, 8, 18))
    assert dates == [date(2025, 7, 28), date(2025, 8, 4), date(2025, 8, 10), date(2025, 8, 17)]
    assert services.due_dates(2, date(2025, 9, 1), date(2025, 8, 18)) == [date(2025, 8, 18)] * 2
    assert services.due_dates(1, date(2025, 7, 22), None) == [None]


def test_it_lets_only_managers_plan(world):
    ready(world)
    for name in ("operator", "asesor_internal", "asesor_eksternal", "pimpinan"):
        with pytest.raises(Forbidden):
            services.plan_create(
                actor=world.personas()[name], period_id=world.period.pk, target=Decimal("2.1")
            )
    with pytest.raises(NotFound):
        services.plan_create(actor=world.outsider, period_id=world.period.pk, target=Decimal(2))
    plan = services.plan_create(
        actor=world.admin,
        period_id=world.period.pk,
        target=Decimal("2.05"),
        locked=others(world),
        now=NOW,
    )
    assert plan.reachable


def _item_of(plan, unit_code: str) -> ActionItem:
    return plan.items.filter(unit__code=unit_code).first()


def test_it_lets_the_units_operator_complete_its_item_and_not_another_units(world):
    ready(world)
    plan = planned(world, "2.20")
    item_a, item_b = _item_of(plan, "A"), _item_of(plan, "B")
    with pytest.raises(NotFound):
        services.action_item_complete(actor=world.operator_b, item_id=item_a.pk)
    for name in ("asesor_internal", "asesor_eksternal", "pimpinan", "admin"):
        with pytest.raises(Forbidden):
            services.action_item_complete(actor=world.personas()[name], item_id=item_a.pk)
    with pytest.raises(NotFound):
        services.action_item_complete(actor=world.outsider, item_id=item_a.pk)
    done = services.action_item_complete(
        actor=world.operator, item_id=item_a.pk, expected_version=1, now=NOW
    )
    assert done.status == ActionItem.Status.DONE and done.done_by == world.operator
    assert done.done_at == NOW and done.version == 2
    with pytest.raises(InvalidTransition):
        services.action_item_complete(actor=world.operator, item_id=item_a.pk)
    services.action_item_complete(actor=world.koordinator, item_id=item_b.pk)
    assert AuditEvent.objects.filter(action="action_item.done").count() == 2
    assert audit_verify()[1] == []


def test_it_refuses_a_stale_version(world):
    from monev.lib.errors import Conflict

    ready(world)
    item = _item_of(planned(world, "2.10"), "A")
    with pytest.raises(Conflict) as error:
        services.action_item_complete(actor=world.operator, item_id=item.pk, expected_version=7)
    assert error.value.extra["current"]["version"] == 1


def test_it_lets_the_koordinator_reassign_an_item(world):
    ready(world)
    item = _item_of(planned(world, "2.10"), "A")
    with pytest.raises(Forbidden):
        services.action_item_reassign(
            actor=world.operator, item_id=item.pk, unit_id=world.unit_b.pk
        )
    moved = services.action_item_reassign(
        actor=world.koordinator, item_id=item.pk, unit_id=world.unit_b.pk
    )
    assert moved.unit == world.unit_b
    # Now unit B's operator may complete it.
    services.action_item_complete(actor=world.operator_b, item_id=item.pk)
    other_unit = world.other_institution.units.create(code="Z", name="Dinas Z")
    with pytest.raises(InvalidInput):
        services.action_item_reassign(
            actor=world.koordinator, item_id=item.pk, unit_id=other_unit.pk
        )


def test_it_sets_and_clears_efforts_and_the_planner_uses_them(world):
    ready(world)
    changed = services.efforts_set(
        actor=world.koordinator,
        period_id=world.period.pk,
        efforts={("1", 3): Decimal("0.5"), ("2", 3): Decimal("7")},
    )
    assert changed == 2
    assert EffortOverride.objects.get(indicator="1", to_level=3).effort == Decimal("0.5")
    plan = planned(world, "2.01")
    first = plan.items.select_related("answer").first()
    assert (first.answer.indicator, first.to_level, first.effort) == ("1", 3, Decimal("0.5"))
    services.effort_set(
        actor=world.koordinator, period_id=world.period.pk, number="1", to_level=3, effort=None
    )
    assert not EffortOverride.objects.filter(indicator="1").exists()
    assert AuditEvent.objects.filter(action="plan.efforts_set").count() == 2


def test_it_refuses_bad_efforts_and_other_roles(world):
    with pytest.raises(InvalidInput) as error:
        services.efforts_set(
            actor=world.koordinator,
            period_id=world.period.pk,
            efforts={("999", 3): Decimal(1), ("1", 9): Decimal(1), ("2", 3): Decimal("-1")},
        )
    assert len(error.value.details) == 3
    with pytest.raises(Forbidden):
        services.effort_set(
            actor=world.operator, period_id=world.period.pk, number="1", to_level=3, effort=None
        )


def test_it_counts_missing_levels_at_the_minimum(world):
    set_deadline(world)
    plan = planned(world, "1.05")  # spbe-2020's scale starts at 1
    assert plan.index_before == Decimal("1.00") and plan.reachable
    assert plan.items.order_by("position").first().from_level == Decimal(1)
