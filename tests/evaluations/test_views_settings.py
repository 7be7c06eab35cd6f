"""Period settings: target, milestones in local time, closing the self-assessment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from page_support import login

from monev.evaluations.models import Answer, Milestone

pytestmark = pytest.mark.django_db


def act(world, name: str, *pk) -> str:
    if pk:
        return reverse("evaluations:settings_item_action", args=[world.period.pk, name, *pk])
    return reverse("evaluations:settings_action", args=[world.period.pk, name])


def test_it_sets_and_clears_the_target(client, world):
    login(client, world, "koordinator")
    assert client.post(act(world, "target"), {"target": "4.62"}).status_code == 302
    world.period.refresh_from_db()
    assert world.period.target == Decimal("4.62")
    response = client.post(act(world, "target"), {"target": "5.5"})
    assert response.status_code == 422  # off the scale: the service says so, in place
    assert 'value="5.5"' in response.content.decode()
    assert client.post(act(world, "target"), {"target": ""}).status_code == 302
    world.period.refresh_from_db()
    assert world.period.target is None


def test_it_stores_a_milestone_entered_in_jakarta_time_as_an_aware_date(client, world):
    login(client, world, "admin")
    data = {"kind": "evidence_deadline", "date": "2025-08-18", "time": "16:00", "title": ""}
    assert client.post(act(world, "milestone"), data).status_code == 302
    milestone = Milestone.objects.get(period=world.period, kind="evidence_deadline")
    assert milestone.due_at == datetime(2025, 8, 18, 16, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    data["time"] = "17:30"  # same kind again: its date changes
    client.post(act(world, "milestone"), data)
    assert Milestone.objects.filter(period=world.period, kind="evidence_deadline").count() == 1
    html = client.get(reverse("evaluations:settings", args=[world.period.pk])).content.decode()
    assert "Tenggat unggah data dukung" in html and "18 Agu 2025, 17.30" in html
    assert client.post(act(world, "milestone"), {**data, "date": "kemarin"}).status_code == 422


def test_it_deletes_a_milestone_of_this_period_only(client, world):
    login(client, world, "koordinator")
    milestone = Milestone.objects.get(period=world.period, kind="self_assessment_open")
    assert client.post(act(world, "milestone-delete", milestone.pk)).status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert client.post(act(world, "milestone-delete", 999999)).status_code == 404


def test_it_closes_the_self_assessment_only_when_confirmed(client, world):
    login(client, world, "koordinator")
    assert client.post(act(world, "close"), {}).status_code == 422
    assert not Answer.objects.filter(status="final_self").exists()
    response = client.post(act(world, "close"), {"confirm": "on"}, follow=True)
    assert "semua jawaban kini final mandiri" in response.content.decode()
    assert Answer.objects.filter(period=world.period, status="final_self").count() == 47


def test_it_renders_the_settings_in_constant_queries(client, world, django_assert_num_queries):
    login(client, world, "koordinator")
    page = reverse("evaluations:settings", args=[world.period.pk])
    with django_assert_num_queries(5):
        client.get(page)
    for day in range(1, 6):
        client.post(
            act(world, "milestone"),
            {"kind": "mentoring", "date": f"2025-08-0{day}", "time": "09:00"},
        )
    with django_assert_num_queries(5):
        html = client.get(page).content.decode()
    assert html.count("Pendampingan bersama asesor") >= 5
