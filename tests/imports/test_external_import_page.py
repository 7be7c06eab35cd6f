"""The import of many institutions' external results: the page (/nilai-eksternal/impor/,
under the "External values" menu) and POST /api/v1/external-results/import."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

sys.path.insert(0, str(Path(__file__).parents[1] / "external"))
from external_support import answer, csv_file, evaluator, pemdi_period

from monev.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
SDI_HEADER = ["Kode Instansi", "Indikator", "Tahun Data", "Nilai Sumber"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_import_page_previews_and_discards(world, tmp_path):
    scoped = evaluator("eval-pusat", "nasional")
    client = client_for(scoped)
    assert reverse("external_imports:page") == "/nilai-eksternal/impor/"
    assert reverse("external_imports:upload") == "/nilai-eksternal/impor/external/"
    assert client.get(reverse("external_imports:page")).status_code == 200
    assert client_for(world.operator).get(reverse("external_imports:page")).status_code == 403
    path = csv_file(tmp_path / "sdi.csv", [SDI_HEADER, ["kota-contoh", "5", "2025", "68,75"]])
    with path.open("rb") as fh:
        response = client.post(reverse("external_imports:upload"), {"file": fh})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "Pemerintah Kota Contoh" in page
    discarded = client.post(reverse("imports:discard", args=[batch.pk]))
    assert discarded.url == reverse("external_imports:page")


def test_the_page_is_marked_current_under_the_external_values_menu(world):
    page = client_for(evaluator("eval-pusat", "nasional")).get(reverse("external_imports:page"))
    link = reverse("external_imports:page")
    assert f'<a href="{link}" aria-current="page">' in page.content.decode()


def test_a_koordinator_may_open_the_page(world):
    assert client_for(world.koordinator).get(reverse("external_imports:page")).status_code == 200


def test_api_import_previews_then_applies(world, tmp_path):
    period = pemdi_period(world)
    client = client_for(world.koordinator)
    path = csv_file(tmp_path / "sdi.csv", [SDI_HEADER, ["kota-contoh", "5", "2025", "25"]])
    with path.open("rb") as fh:
        response = client.post(f"{BASE}/external-results/import", {"file": fh})
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "external" and body["can_apply"] and body["counts"]["create"] == 1
    applied = client.post(f"{BASE}/imports/{body['id']}/apply")
    assert applied.status_code == 200
    assert answer(period, "5").level == Decimal("2.00")
