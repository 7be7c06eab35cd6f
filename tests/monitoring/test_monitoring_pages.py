"""The dashboard, history and forecast pages: every member of the institution sees them, an
outsider gets 404, anonymous goes to the login; charts come with their data as JSON and the
same numbers in a table; a fixed number of queries however much data there is."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from monitoring_support import fill, grow, milestone

from monev.monitoring.models import Snapshot

pytestmark = pytest.mark.django_db

MEMBERS = [
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
]
PAGES = ["dashboard", "history", "forecast"]


def url(world, name: str) -> str:
    return reverse(f"monitoring:{name}", args=[world.period.pk])


def chart_data(response, element_id: str) -> dict:
    content = response.content.decode()
    start = content.index(f'id="{element_id}"')
    start = content.index(">", start) + 1
    return json.loads(content[start : content.index("</script>", start)])


@pytest.mark.parametrize("persona", MEMBERS)
@pytest.mark.parametrize("page", PAGES)
def test_it_shows_every_page_to_every_member(client, world, persona, page):
    client.force_login(world.personas()[persona])
    assert client.get(url(world, page)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_it_hides_the_period_from_an_outsider_and_asks_anonymous_to_sign_in(client, world, page):
    client.force_login(world.outsider)
    assert client.get(url(world, page)).status_code == 404
    client.logout()
    response = client.get(url(world, page))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_it_adds_a_dashboard_tab_to_the_period(client, world):
    client.force_login(world.pimpinan)
    response = client.get(reverse("evaluations:overview", args=[world.period.pk]))
    assert url(world, "dashboard") in response.content.decode()


def test_it_draws_the_aspects_from_json_and_lists_them_in_a_table(client, world):
    fill(world, "3")
    client.force_login(world.koordinator)
    response = client.get(url(world, "dashboard"))
    data = chart_data(response, "aspect-chart-data")
    assert data["type"] == "bar" and len(data["labels"]) == 8
    assert data["datasets"][0]["data"] == [3.0] * 8
    content = response.content.decode()
    assert 'id="aspect-table"' in content and 'id="domain-table"' in content
    assert "chartjs-4.6.1/chart.umd.min.js" in content and "monev/js/charts.js" in content


def test_it_shows_unit_progress_and_the_changes_of_the_week(client, world):
    fill(world, "3", range(1, 4))
    client.force_login(world.koordinator)
    content = client.get(url(world, "dashboard")).content.decode()
    assert 'id="unit-table"' in content and "<progress" in content
    assert 'id="changes-table"' in content


def test_it_shows_a_provisional_instruments_warning(client, world, settings):
    from monev.evaluations import services

    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="pemantauan",
        instrument="pemdi-2026",
    )
    client.force_login(world.koordinator)
    response = client.get(reverse("monitoring:dashboard", args=[period.pk]))
    assert "Provisional instrument" in response.content.decode() or "sementara" in (
        response.content.decode()
    )


def test_it_takes_a_snapshot_from_the_page(client, world):
    client.force_login(world.koordinator)
    response = client.post(
        reverse("monitoring:snapshot_take", args=[world.period.pk]), {"label": "Triwulan III"}
    )
    assert response.status_code == 302
    assert Snapshot.objects.get().label == "Triwulan III"


def test_it_refuses_a_snapshot_from_a_viewer_and_a_blank_label(client, world):
    target = reverse("monitoring:snapshot_take", args=[world.period.pk])
    client.force_login(world.pimpinan)
    assert client.post(target, {"label": "X"}).status_code == 403
    client.force_login(world.koordinator)
    assert client.post(target, {"label": ""}).status_code == 422
    assert not Snapshot.objects.exists()


def test_it_draws_the_history_and_the_snapshots_with_tables(client, world):
    grow(world)
    client.force_login(world.pimpinan)
    response = client.get(url(world, "history"))
    history = chart_data(response, "history-chart-data")
    assert history["markers"] and "spbe-2018" in history["markers"][0]["label"]
    snapshots = chart_data(response, "snapshot-chart-data")
    assert len(snapshots["labels"]) == 3
    content = response.content.decode()
    assert 'id="history-table"' in content and 'id="snapshot-table"' in content


def test_it_forecasts_from_the_snapshots_with_a_burn_up_and_a_table(client, world):
    fill(world, "2")
    now = timezone.now()
    milestone(world, "evidence_deadline", now + timedelta(days=30))
    from monev.monitoring import services

    first = services.snapshot_take(actor=world.koordinator, period_id=world.period.pk, label="A")
    Snapshot.objects.filter(pk=first.pk).update(taken_at=now - timedelta(days=30))
    fill(world, "3")
    client.force_login(world.pimpinan)
    response = client.get(url(world, "forecast"))
    data = chart_data(response, "forecast-chart-data")
    assert data["target"] is None and data["x"] == "time"
    assert len(data["datasets"]) == 2  # actual, and the projection to the deadline
    assert abs(data["datasets"][1]["data"][1]["y"] - 4.0) < 0.05
    assert 'id="forecast-table"' in response.content.decode()


def test_it_refuses_a_bad_as_of_date_clearly(client, world):
    client.force_login(world.koordinator)
    assert client.get(url(world, "forecast"), {"as_of": "kemarin"}).status_code == 422


def test_it_shows_the_institutions_history(client, world):
    grow(world)
    client.force_login(world.pimpinan)
    target = reverse("monitoring:institution", args=[world.institution.pk])
    response = client.get(target)
    assert response.status_code == 200
    assert 'id="history-table"' in response.content.decode()
    client.force_login(world.outsider)
    assert client.get(target).status_code == 404


# queries after the session and the user (2): period + institution, memberships; then the
# page's own reads.
QUERIES = [
    # + the readiness count: answers' evidence links, latest versions, shared files, extensions
    ("koordinator", "dashboard", 16),
    ("operator", "dashboard", 18),
    ("pimpinan", "history", 9),
    ("koordinator", "forecast", 8),
]


@pytest.mark.parametrize(("persona", "page", "queries"), QUERIES)
def test_it_reads_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, persona, page, queries
):
    milestone(world, "evidence_deadline", timezone.now() + timedelta(days=30))
    client.force_login(world.personas()[persona])
    with django_assert_num_queries(queries):
        small = client.get(url(world, page))
    grow(world)
    with django_assert_num_queries(queries):
        large = client.get(url(world, page))
    assert small.status_code == large.status_code == 200
    assert small.content != large.content


def test_it_compares_pemdi_aspects_with_rough_spbe_2020_counterparts_as_a_judgement(client, world):
    from monev.evaluations import services

    fill(world, "3")
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
    )
    answer = period.answers.get(indicator="9")
    services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(2),
        explanation="Audit TIK",
    )
    client.force_login(world.pimpinan)
    response = client.get(reverse("monitoring:history", args=[period.pk]))
    content = response.content.decode()
    assert 'id="crosswalk-table"' in content
    assert "bukan pemetaan resmi" in content
    # The older indicators by number and short name: 1 and 11 are both "Arsitektur SPBE".
    table = content[content.index('id="crosswalk-table"') :]
    table = table[: table.index("</table>")]
    assert "<td>1. Arsitektur SPBE; 2. " in table and "; 11. Arsitektur SPBE; 12. " in table
    history = chart_data(response, "history-chart-data")
    assert any("spbe-2020" in m["label"] and "pemdi-2026" in m["label"] for m in history["markers"])
