"""The plan page (compute, result grouped by unit, done buttons), the efforts page and the
unit's actions on its to-do page: permissions and constant query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from planning_support import others, planned, ready

from monev.evaluations.models import AnswerUnit
from monev.institutions.models import Unit
from monev.planning.models import ActionItem, EffortOverride, Plan

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PERSONAS = [
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
    "outsider",
    "anonymous",
]


def url(name: str, world) -> str:
    return reverse(f"planning:{name}", args=[world.period.pk])


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world.personas()[role])


def compute_data(world, target="2.10") -> dict:
    data = {"target": target}
    data |= {f"lock-{n}": "on" for n in others(world)}
    return data


def test_it_computes_and_shows_the_plan_grouped_by_unit(client, world):
    ready(world)
    client.force_login(world.koordinator)
    html = client.get(url("plan", world)).content.decode()
    assert "Rencana" in html and url("compute", world) in html
    response = client.post(url("compute", world), compute_data(world) | {"force-9": "4"})
    assert response.status_code == 302
    plan = Plan.objects.get(period=world.period)
    assert plan.reachable and plan.parameters["forced"] == {"9": 4}
    html = client.get(url("plan", world)).content.decode()
    assert "Dinas A" in html and "Dinas B" in html
    assert plan.index_after_exact.replace(".", ",") in html
    item = plan.items.first()
    assert reverse("planning:item_done", args=[item.pk]) in html
    # The constraint form has its own page, which remembers the active plan's constraints.
    assert url("compute", world) in html and 'name="lock-47"' not in html
    html = client.get(url("compute", world)).content.decode()
    assert 'name="lock-47" id="id_lock-47" checked' in html


def test_it_says_when_the_target_cannot_be_reached(client, world):
    ready(world)
    client.force_login(world.koordinator)
    client.post(url("compute", world), compute_data(world, "4.62"))
    html = client.get(url("plan", world)).content.decode()
    assert 'data-plan="unreached"' in html


def test_it_shows_bad_constraints_in_place(client, world):
    ready(world)
    client.force_login(world.koordinator)
    response = client.post(url("compute", world), {"target": "9"})
    assert response.status_code == 422
    assert "outside the scale" in response.content.decode()
    assert not Plan.objects.exists()


def test_it_marks_an_item_done_with_htmx(client, world):
    ready(world)
    plan = planned(world)
    item = plan.items.filter(unit__code="A").first()
    done_url = reverse("planning:item_done", args=[item.pk])
    client.force_login(world.operator_b)
    assert client.post(done_url, {"version": 1}, headers=HTMX).status_code == 404
    client.force_login(world.operator)
    response = client.post(done_url, {"version": 1}, headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="action-item-{item.pk}"')
    assert ActionItem.objects.get(pk=item.pk).status == "done"
    response = client.post(done_url, {"version": 2}, headers=HTMX)
    assert response.status_code == 409  # already done, shown in the row


def test_it_reassigns_an_item(client, world):
    ready(world)
    item = planned(world).items.filter(unit__code="A").first()
    reassign = reverse("planning:item_reassign", args=[item.pk])
    client.force_login(world.operator)
    assert client.post(reassign, {"unit": world.unit_b.pk}).status_code == 403
    client.force_login(world.koordinator)
    response = client.post(reassign, {"unit": world.unit_b.pk, "version": 1})
    assert response.status_code == 302
    assert ActionItem.objects.get(pk=item.pk).unit == world.unit_b


@pytest.mark.parametrize("role", PERSONAS)
def test_the_pages_answer_by_role(client, world, role):
    ready(world)
    planned(world)
    login(client, world, role)
    expected = {"outsider": 404, "anonymous": 302}.get(role, 200)
    assert client.get(url("plan", world)).status_code == expected
    assert client.get(url("efforts", world)).status_code == expected
    manages = role in ("koordinator", "admin")
    compute = {"outsider": 404, "anonymous": 302}.get(role, 302 if manages else 403)
    assert client.post(url("compute", world), compute_data(world)).status_code == compute
    efforts = {"outsider": 404, "anonymous": 302}.get(role, 302 if manages else 403)
    assert client.post(url("efforts", world), {"effort-1-3": "1"}).status_code == efforts


def grow(world, units: int = 10):
    new = Unit.objects.bulk_create(
        [
            Unit(institution=world.institution, code=f"X{n:02}", name=f"Dinas {n}")
            for n in range(units)
        ]
    )
    answers = {a.indicator: a for a in world.period.answers.all()}
    AnswerUnit.objects.bulk_create(
        [
            AnswerUnit(answer=answers[str(n)], unit=u)
            for n, u in zip(range(11, 21), new, strict=False)
        ]
    )


def test_the_plan_page_runs_in_constant_queries(client, world, django_assert_num_queries):
    ready(world)
    planned(world, "2.05")
    client.force_login(world.koordinator)
    with django_assert_num_queries(8):
        client.get(url("plan", world))
    grow(world)
    locked = [n for n in others(world) if int(n.split(".")[0]) > 20]
    planned(world, "2.30", locked=locked)
    assert ActionItem.objects.filter(plan__status="active").count() > 10
    with django_assert_num_queries(8):
        client.get(url("plan", world))


def test_the_efforts_page_lists_every_step_and_saves_overrides(
    client, world, django_assert_num_queries
):
    client.force_login(world.koordinator)
    with django_assert_num_queries(5):
        html = client.get(url("efforts", world)).content.decode()
    assert 'name="effort-47-5"' in html and 'name="effort-1-2"' in html
    response = client.post(url("efforts", world), {"effort-1-3": "0.5", "effort-2-4": "9"})
    assert response.status_code == 302
    assert EffortOverride.objects.count() == 2
    with django_assert_num_queries(5):
        html = client.get(url("efforts", world)).content.decode()
    assert 'value="0.50"' in html or 'value="0,50"' in html
    response = client.post(url("efforts", world), {"effort-1-3": "-2"})
    assert response.status_code == 422
    assert EffortOverride.objects.get(indicator="1").effort == Decimal("0.5")
    client.post(url("efforts", world), {"effort-2-4": "9"})  # 1-3 cleared: the default
    assert list(EffortOverride.objects.values_list("indicator", flat=True)) == ["2"]


def test_the_todo_shows_the_units_actions_with_due_dates(client, world):
    ready(world)
    plan = planned(world, "2.20")
    client.force_login(world.operator)
    html = client.get(reverse("evaluations:todo", args=[world.period.pk])).content.decode()
    mine = plan.items.filter(unit=world.unit_a)
    theirs = plan.items.filter(unit=world.unit_b)
    assert mine.exists() and theirs.exists()
    for item in mine:
        assert f'id="action-item-{item.pk}"' in html
    for item in theirs:
        assert f'id="action-item-{item.pk}"' not in html
    assert "Tindakan" in html or "Actions of the plan" in html
