"""The external values page, the API, the overview and dashboard summary: permissions (role
and scope), the default shown until a value arrives, the provisional flag, and a constant
number of queries however many results there are. The import of many institutions' results:
tests/imports/test_external_import_page.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from external_support import answer, evaluator, pemdi_period, set_province

from monev.external import services
from monev.external.models import ExternalResult

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
WAITING = "Nilai bawaan 1 — menunggu Indeks SDI dari Bappenas"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record(world, year=2025, sdi="68.75", indicator="5"):
    return services.result_record(
        world.koordinator,
        institution_id=world.institution.pk,
        indicator=indicator,
        data_year=year,
        source_value=Decimal(sdi),
    )


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


# --- pages ----------------------------------------------------------------------------------


def test_the_page_shows_the_default_then_the_value_with_its_history(world):
    pemdi_period(world)
    client = client_for(world.koordinator)
    url = reverse("external:institution", args=[world.institution.pk])
    page = client.get(url).content.decode()
    assert WAITING in page and "Instrumen sementara" in page
    response = client.post(
        reverse("external:record", args=[world.institution.pk]),
        {"indicator": "5", "data_year": "2025", "source_value": "68,75", "source_note": "SDI"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "3,75" in page and "68,75" in page and "dipakai" in page


def test_the_form_shows_what_is_wrong(world):
    client = client_for(world.koordinator)
    response = client.post(
        reverse("external:record", args=[world.institution.pk]),
        {"indicator": "5", "data_year": "2025", "source_value": "120"},
    )
    assert response.status_code == 422
    assert "Nilai Indeks SDI harus antara 0 dan 100." in response.content.decode()
    assert not ExternalResult.objects.exists()


def test_page_permissions(world):
    set_province(world)
    url = reverse("external:institution", args=[world.institution.pk])
    post = reverse("external:record", args=[world.institution.pk])
    data = {"indicator": "5", "data_year": "2025", "source_value": "50"}
    operator = client_for(world.operator)
    assert operator.get(url).status_code == 200  # may read
    assert "Catat hasil" not in operator.get(url).content.decode()
    assert operator.post(post, data).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.outsider).post(post, data).status_code == 404
    elsewhere = client_for(evaluator("eval-jatim", "provinsi", "Jawa Timur"))
    assert elsewhere.get(url).status_code == 404
    assert not ExternalResult.objects.exists()
    here = client_for(evaluator("eval-jateng", "provinsi", "Jawa Tengah"))
    assert here.post(post, data).status_code == 302


def test_the_page_runs_a_constant_number_of_queries(world):
    client = client_for(world.koordinator)
    url = reverse("external:institution", args=[world.institution.pk])
    record(world, 2024, "20")
    few = count_queries(lambda: client.get(url))
    for year in (2020, 2021, 2022, 2023, 2025):
        record(world, year, "30")
        record(world, year, "40", indicator="18")
    assert count_queries(lambda: client.get(url)) == few


def test_overview_and_dashboard_show_the_source_or_the_default(world):
    period = pemdi_period(world)
    client = client_for(world.koordinator)
    overview = reverse("evaluations:overview", args=[period.pk])
    dashboard = reverse("monitoring:dashboard", args=[period.pk])
    for url in (overview, dashboard):
        page = client.get(url).content.decode()
        assert "Indikator yang dinilai dari indeks instansi lain" in page
        assert WAITING in page and "Instrumen sementara" in page
    record(world)
    for url in (overview, dashboard):
        page = client.get(url).content.decode()
        assert WAITING not in page
        assert "Indeks SDI (Bappenas)" in page and "68,75" in page and "3,75" in page
    # An spbe-2020 period has no imported indicators: no section.
    assert (
        "Indikator yang dinilai"
        not in client.get(reverse("evaluations:overview", args=[world.period.pk])).content.decode()
    )


def test_the_answer_page_says_where_the_value_comes_from(world):
    period = pemdi_period(world)
    record(world)
    page = client_for(world.asesor_eksternal).get(
        reverse("answers:detail", args=[answer(period, "5").pk])
    )
    text = page.content.decode()
    assert "Nilai indikator ini berasal dari Indeks SDI (Bappenas)" in text
    assert "Nilai impor: 3,75 (tahun data 2025)." in text


# --- API ------------------------------------------------------------------------------------


def test_api_lists_and_records(world):
    pemdi_period(world)
    client = client_for(world.koordinator)
    url = f"{BASE}/institutions/{world.institution.pk}/external-results"
    body = client.get(url, {"year": 2026}).json()
    assert body["provisional"] is True and body["can_record"] is True
    sdi = body["indicators"][0]
    assert (sdi["indicator"], sdi["index"], sdi["owner"]) == ("5", "Indeks SDI", "Bappenas")
    assert sdi["waiting"] is True and sdi["default_value"] == "1" and sdi["results"] == []
    response = client.post(
        url,
        {"indicator": "5", "data_year": 2025, "source_value": "68.75"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["value"] == "3.75"
    sdi = client.get(url, {"year": 2026}).json()["indicators"][0]
    assert sdi["waiting"] is False and sdi["current"]["source_value"] == "68.750"
    assert client.get(url, {"year": 2024}).json()["indicators"][0]["waiting"] is True


def test_api_refusals(world):
    url = f"{BASE}/institutions/{world.institution.pk}/external-results"
    data = {"indicator": "5", "data_year": 2025, "source_value": "68.75"}
    operator = client_for(world.operator)
    assert operator.post(url, data, content_type="application/json").status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    bad = client_for(world.koordinator).post(
        url, {**data, "source_value": "101"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["location"] == "source_value"
    unknown = client_for(world.koordinator).post(
        url, {**data, "indicator": "1"}, content_type="application/json"
    )
    assert unknown.status_code == 422
    assert not ExternalResult.objects.exists()


def test_api_list_runs_a_constant_number_of_queries(world):
    client = client_for(world.koordinator)
    url = f"{BASE}/institutions/{world.institution.pk}/external-results"
    record(world, 2024, "20")
    few = count_queries(lambda: client.get(url))
    for year in (2020, 2021, 2022, 2023, 2025):
        record(world, year, "30")
    assert count_queries(lambda: client.get(url)) == few


def test_the_overview_runs_a_constant_number_of_queries_with_external_results(world):
    period = pemdi_period(world)
    client = client_for(world.koordinator)
    url = reverse("evaluations:overview", args=[period.pk])
    record(world, 2020, "20")
    few = count_queries(lambda: client.get(url))
    for year in (2021, 2022, 2023, 2024, 2025):
        record(world, year, "30")
        record(world, year, "40", indicator="18")
    assert count_queries(lambda: client.get(url)) == few


def test_the_template_of_the_kind_downloads_and_evaluators_see_the_nav_link(world):
    client = client_for(evaluator("eval-pusat", "nasional"))
    response = client.get(reverse("imports:template", args=["external"]))
    assert response.status_code == 200
    periods = client.get(reverse("evaluations:periods")).content.decode()
    assert reverse("external_imports:page") in periods
