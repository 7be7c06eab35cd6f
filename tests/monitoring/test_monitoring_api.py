"""/api/v1/periods/{id}/dashboard, snapshots, history, forecast: the pages' permissions and
data, the API's error shape, a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from monitoring_support import fill, grow, milestone

from api_support import Api
from monev.monitoring.models import Snapshot

pytestmark = pytest.mark.django_db

READS = ["dashboard", "snapshots", "history", "forecast"]
MEMBERS = ["koordinator", "operator", "asesor_internal", "asesor_eksternal", "pimpinan", "admin"]


@pytest.mark.parametrize("persona", MEMBERS)
@pytest.mark.parametrize("what", READS)
def test_it_answers_every_member(world, persona, what):
    response = Api.session(world.personas()[persona]).get(f"/periods/{world.period.pk}/{what}")
    assert response.status_code == 200


@pytest.mark.parametrize("what", READS)
def test_it_hides_the_period_from_an_outsider_and_needs_a_login(world, what):
    path = f"/periods/{world.period.pk}/{what}"
    response = Api.session(world.outsider).get(path)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert Api.anonymous().get(path).status_code == 401


def test_its_dashboard_has_stages_aspects_units_and_changes(world):
    fill(world, "3")
    body = Api.token(world.pimpinan).get(f"/periods/{world.period.pk}/dashboard").json()
    assert [s["stage"] for s in body["stages"]] == ["self", "verified", "provisional", "final"]
    assert body["stages"][0]["index"] == "3.00"
    assert len(body["aspects"]) == 8 and len(body["weakest_aspects"]) == 8
    assert {u["code"] for u in body["units"]} == {"A", "B"}
    assert body["changes"]["totals"]["answer.save"] == 47
    assert body["provisional"] is False


def test_it_takes_a_snapshot_for_the_coordinator_only(world):
    path = f"/periods/{world.period.pk}/snapshots"
    refused = Api.session(world.pimpinan).post(path, {"label": "X"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    blank = Api.session(world.koordinator).post(path, {"label": " "})
    assert blank.status_code == 422
    created = Api.token(world.koordinator).post(path, {"label": "Triwulan II"})
    assert created.status_code == 201
    assert created.json()["label"] == "Triwulan II" and created.json()["kind"] == "on_demand"
    listed = Api.session(world.operator).get(path).json()
    assert [s["label"] for s in listed] == ["Triwulan II"]
    assert Snapshot.objects.count() == 1


def test_its_history_never_joins_points_across_an_instrument_change(world):
    grow(world)
    body = Api.session(world.pimpinan).get(f"/periods/{world.period.pk}/history").json()
    assert body["instrument_changes"][0]["before"] == "spbe-2018"
    for series in body["series"]:
        assert len({p["instrument"] for p in series["points"]}) == 1
    assert len(body["snapshots"]) == 3


def test_its_forecast_projects_to_the_deadline_and_compares_with_the_target(world):
    from decimal import Decimal

    from monev.evaluations import services as cycle
    from monev.monitoring import services

    cycle.period_set_target(actor=world.koordinator, period_id=world.period.pk, target=Decimal(4))
    now = timezone.now()
    milestone(world, "evidence_deadline", now + timedelta(days=30))
    fill(world, "2")
    first = services.snapshot_take(actor=world.koordinator, period_id=world.period.pk, label="A")
    Snapshot.objects.filter(pk=first.pk).update(taken_at=now - timedelta(days=60))
    fill(world, "3")
    body = Api.session(world.koordinator).get(f"/periods/{world.period.pk}/forecast").json()
    assert body["frozen"] is False
    assert [p["index"] for p in body["points"]] == ["2.00", "3.00"]
    assert body["projected"] == "3.50"  # one level per 60 days, 30 days to go
    assert body["likely"] is False
    assert body["needed_per_30_days"] == "1.00"
    bad = Api.session(world.koordinator).get(
        f"/periods/{world.period.pk}/forecast", as_of="kemarin"
    )
    assert bad.status_code == 422


# the dashboard: + the readiness count (evidence links, latest versions, shared files, extensions)
QUERIES = [("dashboard", 16), ("snapshots", 5), ("history", 9), ("forecast", 8)]


@pytest.mark.parametrize(("what", "queries"), QUERIES)
def test_it_reads_a_fixed_number_of_queries(world, django_assert_num_queries, what, queries):
    milestone(world, "evidence_deadline", timezone.now() + timedelta(days=30))
    api = Api.session(world.koordinator)
    path = f"/periods/{world.period.pk}/{what}"
    with django_assert_num_queries(queries):
        small = api.get(path)
    grow(world)
    with django_assert_num_queries(queries):
        large = api.get(path)
    assert small.status_code == large.status_code == 200
