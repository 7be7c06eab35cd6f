"""GET/POST /api/v1/periods/{id}/plan, efforts, and POST /api/v1/action-items/{id}/done:
shapes, permissions per persona, constant query counts."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from django.utils import timezone
from planning_support import others, planned, ready, set_deadline, set_levels

from api_support import Api
from monev.planning.models import ActionItem, Plan

pytestmark = pytest.mark.django_db

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


def api_for(world, role: str) -> Api:
    return Api.anonymous() if role == "anonymous" else Api.token(world.personas()[role])


def test_it_computes_and_reads_the_plan(world, django_assert_num_queries):
    set_levels(world)
    deadline = timezone.now() + timedelta(days=40)  # the API plans as of now
    set_deadline(world, deadline)
    api = Api.session(world.koordinator)
    path = f"/periods/{world.period.pk}/plan"
    assert api.get(path).status_code == 404
    body = api.ok(
        "post", path, {"target": "2.10", "locked": others(world), "forced": {"9": 4}}, 201
    )
    assert body["reachable"] is True and body["target"] == "2.10"
    assert Fraction(body["index_after_exact"]) >= Fraction("2.1")
    assert body["parameters"]["forced"] == {"9": 4}
    due = [date.fromisoformat(i["due_date"]) for i in body["items"]]
    assert all(timezone.localdate() <= d < timezone.localdate(deadline) for d in due)
    assert {i["unit_code"] for i in body["items"]} <= {"A", "B"}
    with django_assert_num_queries(7):  # the 7th: the levels now, to tell a stale plan
        again = api.ok("get", path)
    assert again["id"] == body["id"] and len(again["items"]) == len(body["items"])


def test_it_gives_an_operator_only_their_units_items(world):
    ready(world)
    planned(world, "2.20")
    body = Api.session(world.operator).ok("get", f"/periods/{world.period.pk}/plan")
    assert body["items"] and {i["unit_code"] for i in body["items"]} == {"A"}


def test_it_refuses_bad_plan_input_with_422(world):
    ready(world)
    api = Api.session(world.koordinator)
    response = api.post(f"/periods/{world.period.pk}/plan", {"target": "7", "forced": {"1": 9}})
    assert response.status_code == 422
    locations = {d["location"] for d in response.json()["error"]["details"]}
    assert {"target", "forced.1"} <= locations
    assert not Plan.objects.exists()


def test_it_lists_and_sets_efforts(world, django_assert_num_queries):
    api = Api.session(world.koordinator)
    with django_assert_num_queries(5):
        rows = api.ok("get", f"/periods/{world.period.pk}/efforts")
    assert len(rows) == 47 * 4
    first = next(r for r in rows if r["number"] == "1" and r["to_level"] == 3)
    assert first["override"] is None and first["effort"] == first["default"]
    body = api.ok("put", f"/periods/{world.period.pk}/efforts/1/3", {"effort": "0.5"})
    assert body["override"] == "0.50" and body["effort"] == "0.50"
    body = api.ok("put", f"/periods/{world.period.pk}/efforts/1/3", {"effort": None})
    assert body["override"] is None
    response = api.put(f"/periods/{world.period.pk}/efforts/1/9", {"effort": "1"})
    assert response.status_code == 422
    response = api.put(f"/periods/{world.period.pk}/efforts/999/3", {"effort": "1"})
    assert response.status_code == 422


def test_it_marks_an_item_done(world):
    ready(world)
    plan = planned(world, "2.20")
    item = plan.items.filter(unit__code="A").first()
    path = f"/action-items/{item.pk}/done"
    assert Api.session(world.operator_b).post(path, {}).status_code == 404
    assert Api.session(world.pimpinan).post(path, {}).status_code == 403
    response = Api.session(world.operator).post(path, {"version": 5})
    assert response.status_code == 409 and response.json()["error"]["current"]["version"] == 1
    body = Api.session(world.operator).ok("post", path, {"version": 1})
    assert body["status"] == "done" and body["done_by"] and body["version"] == 2
    assert Api.session(world.operator).post(path, {}).status_code == 409
    other = plan.items.filter(unit__code="B").first()
    body = Api.session(world.koordinator).ok(
        "put", f"/action-items/{other.pk}/unit", {"unit_id": world.unit_a.pk}
    )
    assert body["unit_code"] == "A"
    assert ActionItem.objects.get(pk=other.pk).unit == world.unit_a


@pytest.mark.parametrize("role", PERSONAS)
def test_the_endpoints_answer_by_role(world, role):
    ready(world)
    plan = planned(world, "2.20")
    api = api_for(world, role)
    period = world.period.pk
    hidden = {"outsider": 404, "anonymous": 401}
    assert api.get(f"/periods/{period}/plan").status_code == hidden.get(role, 200)
    assert api.get(f"/periods/{period}/efforts").status_code == hidden.get(role, 200)
    manages = role in ("koordinator", "admin")
    write = hidden.get(role, 201 if manages else 403)
    data = {"target": "2.05", "locked": others(world)}
    assert api.post(f"/periods/{period}/plan", data).status_code == write
    effort = hidden.get(role, 200 if manages else 403)
    assert api.put(f"/periods/{period}/efforts/1/3", {"effort": "1"}).status_code == effort
    item = (
        Plan.objects.get(period=world.period, status="active").items.filter(unit__code="A").first()
    )
    assert item is not None and plan is not None
    done = {
        "koordinator": 200,
        "operator": 200,
        "operator_b": 404,
        "outsider": 404,
        "anonymous": 401,
    }.get(role, 403)
    assert api.post(f"/action-items/{item.pk}/done", {}).status_code == done
    reassign = {"operator_b": 404, "outsider": 404, "anonymous": 401}.get(
        role, 200 if manages else 403
    )
    move = {"unit_id": world.unit_b.pk}
    assert api.put(f"/action-items/{item.pk}/unit", move).status_code == reassign
