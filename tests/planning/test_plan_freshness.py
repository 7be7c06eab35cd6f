"""A plan that stays true: it records the levels it was computed from, says it is stale when one
changes off the plan (page and API), re-plans in one click keeping the progress of the steps
that remain, marks overdue actions, names indicators and gives effort its unit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from planning_support import NOW, TEXT, planned, ready

from api_support import Api
from monev.audit.models import AuditEvent
from monev.evaluations import services as evaluation_services
from monev.lib.errors import Conflict, Forbidden, InvalidTransition
from monev.planning import services
from monev.planning.freshness import plan_freshness
from monev.planning.models import ActionItem, Plan

pytestmark = pytest.mark.django_db


def set_level(world, number: str, level: str) -> None:
    answer = world.answer(number)
    evaluation_services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level),
        explanation=TEXT,
        now=NOW,
    )


def planned_steps(plan: Plan) -> dict[str, int]:
    """Indicator -> the highest level the plan takes it to."""
    steps: dict[str, int] = {}
    for number, level in plan.items.values_list("answer__indicator", "to_level"):
        steps[number] = max(steps.get(number, 0), level)
    return steps


def a_plan(world) -> Plan:
    ready(world)
    return planned(world, "2.20")


def plan_url(world, name="plan") -> str:
    return reverse(f"planning:{name}", args=[world.period.pk])


# --- what the plan was built on ---------------------------------------------------------------


def test_a_plan_records_every_level_it_was_computed_from(world):
    plan = a_plan(world)
    assert len(plan.basis["levels"]) == world.period.answers.count()
    assert set(plan.basis["levels"].values()) == {"2"} or set(plan.basis["levels"].values()) == {
        "2.00"
    }
    assert plan.basis["planned"] == planned_steps(plan)
    assert not plan_freshness(plan).changes


def test_a_level_that_falls_makes_the_plan_stale_naming_the_change(world):
    plan = a_plan(world)
    number = next(iter(planned_steps(plan)))
    set_level(world, number, "1")
    freshness = plan_freshness(plan)
    assert freshness.stale
    (change,) = freshness.changes
    assert change.number == number and change.label.startswith(f"{number}. ")
    assert change.before == Decimal(2) and change.after == Decimal(1) and not change.on_plan


def test_a_level_raised_as_planned_is_progress_not_staleness(world):
    plan = a_plan(world)
    number, highest = next(iter(planned_steps(plan).items()))
    set_level(world, number, str(highest))
    freshness = plan_freshness(plan)
    assert not freshness.stale and [c.on_plan for c in freshness.changes] == [True]


def test_a_level_raised_where_the_plan_did_not_ask_makes_it_stale(world):
    plan = a_plan(world)
    unplanned = next(n for n in plan.basis["levels"] if n not in plan.basis["planned"])
    set_level(world, unplanned, "4")
    assert plan_freshness(plan).stale
    number, highest = next(iter(planned_steps(plan).items()))
    if highest < 5:
        set_level(world, unplanned, "2")
        set_level(world, number, str(highest + 1))  # past what the plan asks
        assert plan_freshness(plan).stale


# --- re-planning ------------------------------------------------------------------------------


def test_replanning_keeps_target_constraints_and_the_progress_of_remaining_steps(world):
    plan = a_plan(world)
    items = list(plan.items.select_related("answer").order_by("position"))
    kept, done, changed = items[-1], items[-2], items[0]
    ActionItem.objects.filter(pk=kept.pk).update(
        unit=world.unit_b, due_date=date(2025, 8, 1), version=3
    )
    services.action_item_complete(actor=world.koordinator, item_id=done.pk, now=NOW)
    set_level(world, changed.answer.indicator, "1")  # off the plan: stale
    again = services.plan_replan(
        actor=world.koordinator, period_id=world.period.pk, expected_plan_id=plan.pk
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUPERSEDED and again.status == Plan.Status.ACTIVE
    assert again.target == plan.target and again.parameters == plan.parameters
    assert not plan_freshness(again).stale
    assert again.basis["levels"][changed.answer.indicator] in ("1", "1.00")
    steps = {(i.answer.indicator, i.to_level): i for i in again.items.select_related("answer")}
    carried = steps[(kept.answer.indicator, kept.to_level)]
    assert carried.unit == world.unit_b and carried.due_date == date(2025, 8, 1)
    carried_done = steps[(done.answer.indicator, done.to_level)]
    assert carried_done.status == "done" and carried_done.done_by == world.koordinator
    # The fallen indicator now needs the step from 1 again, a new one, with its owner.
    fresh = steps[(changed.answer.indicator, 2)]
    assert fresh.status == "open" and fresh.unit is not None
    event = AuditEvent.objects.get(action="plan.replan")
    assert event.before["plan"] == plan.pk
    assert changed.answer.indicator in event.before["changes"]
    assert f"{kept.answer.indicator}:{kept.to_level}" in event.after["carried"]


def test_replanning_refuses_a_replaced_plan_other_roles_and_a_period_without_plan(world):
    ready(world)
    with pytest.raises(InvalidTransition):
        services.plan_replan(actor=world.koordinator, period_id=world.period.pk)
    plan = planned(world, "2.20")
    with pytest.raises(Forbidden):
        services.plan_replan(actor=world.operator, period_id=world.period.pk)
    services.plan_replan(
        actor=world.koordinator, period_id=world.period.pk, expected_plan_id=plan.pk
    )
    with pytest.raises(Conflict):  # a second click on the old page
        services.plan_replan(
            actor=world.koordinator, period_id=world.period.pk, expected_plan_id=plan.pk
        )
    assert Plan.objects.filter(period=world.period).count() == 2


# --- the page ---------------------------------------------------------------------------------


def test_the_page_says_the_plan_is_stale_and_replans_in_one_click(client, world):
    plan = a_plan(world)
    number = next(iter(planned_steps(plan)))
    client.force_login(world.koordinator)
    html = client.get(plan_url(world)).content.decode()
    assert 'data-plan="stale"' not in html
    set_level(world, number, "1")
    html = client.get(plan_url(world)).content.decode()
    assert 'data-plan="stale"' in html
    label = plan_freshness(plan).changes[0].label
    assert f"{label}: 2 → <strong>1</strong>" in html
    assert plan_url(world, "replan") in html and f'name="plan" value="{plan.pk}"' in html
    response = client.post(plan_url(world, "replan"), {"plan": plan.pk})
    assert response.status_code == 302
    html = client.get(plan_url(world)).content.decode()
    assert 'data-plan="stale"' not in html
    assert Plan.objects.get(status="active").pk != plan.pk
    response = client.post(plan_url(world, "replan"), {"plan": plan.pk})  # the old page again
    assert response.status_code == 409 and "telah diganti" in response.content.decode()


def test_only_managers_replan_from_the_page(client, world):
    plan = a_plan(world)
    client.force_login(world.operator)
    assert client.post(plan_url(world, "replan"), {"plan": plan.pk}).status_code == 403
    html = client.get(plan_url(world)).content.decode()
    assert plan_url(world, "replan") not in html
    assert client.get(plan_url(world, "compute")).status_code == 403


def test_the_page_marks_overdue_actions_names_indicators_and_gives_effort_its_unit(client, world):
    plan = a_plan(world)
    today = timezone.localdate()
    items = list(plan.items.order_by("position"))
    ActionItem.objects.filter(pk__in=[i.pk for i in items]).update(
        due_date=today + timedelta(days=3)
    )
    late = items[0]
    ActionItem.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=2))
    client.force_login(world.koordinator)
    html = client.get(plan_url(world)).content.decode()
    assert 'data-overdue="1"' in html
    row = html[html.index(f'id="action-item-{late.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'class="overdue"' in html[html.index(f'id="action-item-{late.pk}"') - 5 :][:80]
    assert "Terlambat" in row or "Overdue" in row
    assert f">{late.answer.indicator}. " in row  # number and short name
    assert "poin upaya" in html or "effort points" in html
    # Done is not overdue.
    services.action_item_complete(actor=world.koordinator, item_id=late.pk)
    html = client.get(plan_url(world)).content.decode()
    assert 'data-overdue="0"' in html


def test_the_unit_choice_is_loaded_for_one_row_on_demand(client, world):
    plan = a_plan(world)
    item = plan.items.filter(unit__code="A").first()
    client.force_login(world.koordinator)
    html = client.get(plan_url(world)).content.decode()
    assert 'name="unit"' not in html  # no unit list per row
    edit = reverse("planning:item_reassign", args=[item.pk])
    assert f'hx-get="{edit}"' in html
    row = client.get(edit, headers={"HX-Request": "true"}).content.decode()
    assert row.lstrip().startswith(f'<tr id="action-item-{item.pk}"')
    assert row.count("<option") == 2 and f'hx-post="{edit}"' in row
    page = client.get(edit).content.decode()  # without JavaScript: a page with that row
    assert "<html" in page and page.count('name="unit"') == 1
    response = client.post(
        edit, {"unit": world.unit_b.pk, "version": 1}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "<select" not in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).unit == world.unit_b
    client.force_login(world.operator)
    assert client.get(edit).status_code in (403, 404)


# --- the API ----------------------------------------------------------------------------------


def test_the_api_says_stale_with_changes_and_replans(world, django_assert_num_queries):
    plan = a_plan(world)
    number = next(iter(planned_steps(plan)))
    api = Api.session(world.koordinator)
    path = f"/periods/{world.period.pk}/plan"
    body = api.ok("get", path)
    assert body["stale"] is False and body["changes"] == []
    assert body["items"][0]["name"].startswith(body["items"][0]["number"] + ". ")
    assert body["overdue"] == sum(1 for i in body["items"] if i["overdue"])
    set_level(world, number, "1")
    with django_assert_num_queries(7):
        body = api.ok("get", path)
    assert body["stale"] is True
    assert body["changes"] == [
        {
            "number": number,
            "name": body["changes"][0]["name"],
            "before": body["changes"][0]["before"],
            "after": body["changes"][0]["after"],
            "planned_to": plan.basis["planned"][number],
            "on_plan": False,
        }
    ]
    assert Decimal(body["changes"][0]["before"]) == 2 and Decimal(body["changes"][0]["after"]) == 1
    again = api.ok("post", f"{path}/replan", {"plan_id": plan.pk}, 201)
    assert again["stale"] is False and again["id"] != plan.pk
    assert again["target"] == body["target"] and again["parameters"] == body["parameters"]
    response = api.post(f"{path}/replan", {"plan_id": plan.pk})
    assert response.status_code == 409
    assert Api.session(world.operator).post(f"{path}/replan", {}).status_code == 403
