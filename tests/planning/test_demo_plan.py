"""The demo's plan: from 3.00 to 4.62, reached exactly, with owners and due dates before the
evidence deadline of 18 August 2025; a unit sees its actions on its to-do page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from monev.accounts.models import User
from monev.audit.services import audit_verify
from monev.demo import data
from monev.evaluations.models import Period
from monev.planning import services
from monev.planning.models import Plan

pytestmark = pytest.mark.django_db

DEADLINE = date(2025, 8, 18)


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    return Period.objects.get(institution__code="demo-kota-bandung")


def check_plan(plan: Plan) -> None:
    assert plan.reachable and plan.target == Decimal("4.62")
    assert plan.index_before == Decimal("3.00")
    assert Fraction(plan.index_after_exact) >= Fraction("4.62") and plan.index_after >= Decimal(
        "4.62"
    )
    items = list(plan.items.select_related("unit"))
    assert items and all(item.unit is not None for item in items)
    assert all(date(2025, 7, 22) <= item.due_date < DEADLINE for item in items)


def test_the_demo_loads_a_plan_reaching_the_target(demo):
    check_plan(Plan.objects.get(period=demo, status="active"))
    assert audit_verify()[1] == []


def test_planning_the_demo_again_gives_a_reachable_plan_with_owners_and_dates(demo):
    koordinator = User.objects.get(username="koordinator")
    plan = services.plan_create(
        actor=koordinator,
        period_id=demo.pk,
        target=Decimal("4.62"),
        now=data.at(2025, 7, 22, 9, 0),
    )
    check_plan(plan)
    assert Plan.objects.filter(period=demo).count() == 2  # the loader's, superseded


def test_a_unit_sees_its_actions_on_its_todo(demo, client):
    operator = User.objects.get(username="operator")
    client.force_login(operator)
    unit_ids = set(operator.memberships.values_list("unit_id", flat=True))
    plan = Plan.objects.get(period=demo, status="active")
    mine = plan.items.filter(unit_id__in=unit_ids)
    html = client.get(reverse("evaluations:todo", args=[demo.pk])).content.decode()
    assert mine.exists()
    for item in mine:
        assert f'id="action-item-{item.pk}"' in html
