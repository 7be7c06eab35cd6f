"""The instrument pages: list, detail, indicator criteria (full page and HTMX fragment)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_lists_every_builtin_instrument_with_its_status(client, django_assert_num_queries):
    # Instruments are files read through the core: the page runs no SQL at all.
    with django_assert_num_queries(0):
        response = client.get(reverse("instruments:list"))
    assert response.status_code == 200
    page = response.content.decode()
    for reference in ("spbe-2018@1", "spbe-2020@1", "pemdi-2026@1"):
        assert reverse("instruments:detail", args=[reference]) in page
    assert "Sementara" in page  # pemdi-2026 is flagged provisional, in Bahasa Indonesia


def test_it_shows_an_instruments_structure_weights_and_bands(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("instruments:detail", args=["spbe-2020"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Audit Teknologi Informasi dan Komunikasi" in page
    assert "Sangat Baik" in page
    assert "16,5%" in page  # domain weight, written the Indonesian way
    assert "Instrumen sementara" not in page
    assert "Rintisan" in page and "Optimalisasi" in page  # both named level scales


def test_it_warns_that_pemdi_2026_is_provisional(client):
    response = client.get(reverse("instruments:detail", args=["pemdi-2026"]))
    page = response.content.decode()
    assert "Instrumen sementara" in page
    assert "nilai eksternal" in page  # externally scored indicators are marked


def test_it_shows_spbe_2018_sub_items_and_that_criteria_are_unavailable(client):
    response = client.get(reverse("instruments:detail", args=["spbe-2018@1"]))
    page = response.content.decode()
    assert "35.1" in page and "35.3" in page
    assert "≈3,3333%" in page  # 20/6 % per sub-item, shown approximately and marked
    assert "tidak tersedia" in page


def test_it_answers_404_for_an_unknown_instrument_or_indicator(client):
    assert client.get(reverse("instruments:detail", args=["spbe-1999"])).status_code == 404
    assert client.get(reverse("instruments:detail", args=["spbe-2020@9"])).status_code == 404
    url = reverse("instruments:indicator", args=["spbe-2020", "48"])
    assert client.get(url).status_code == 404


def test_it_shows_an_indicators_criteria_per_level(client, django_assert_num_queries):
    url = reverse("instruments:indicator", args=["spbe-2020", "29"])
    with django_assert_num_queries(0):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert "Audit Infrastruktur SPBE" in page
    assert page.count('<th scope="row">') == 5


def test_it_returns_only_the_fragment_to_htmx(client):
    url = reverse("instruments:indicator", args=["spbe-2020", "29"])
    response = client.get(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Kriteria" in page


def test_it_speaks_english_when_asked(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("instruments:detail", args=["pemdi-2026"])).content.decode()
    assert "Provisional instrument." in page
    assert "Legal basis" in page


def test_it_refuses_to_change_state_through_instrument_pages(client):
    response = client.post(reverse("instruments:list"))
    assert response.status_code == 405
