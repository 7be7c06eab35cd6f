"""The instrument pages show the corrections of issue 15: the regulation's dates and gazette,
the default schedule, an indicator's other names and the regulation behind IKASANDI."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_pemdi_page_shows_when_the_regulation_was_set_and_its_default_schedule(client):
    page = client.get(reverse("instruments:detail", args=["pemdi-2026"])).content.decode()
    assert (
        "1 Juni 2026 · 5 Juni 2026 · Berita Negara Republik Indonesia Tahun 2026 Nomor 364" in page
    )
    assert "Jadwal bawaan" in page
    assert "1 Agustus 2026 00:00" in page and "15 September 2026 23:59" in page
    assert "Interviu 21-30 September: klarifikasi dan sanggah" in page


def test_the_spbe_2020_page_has_no_default_schedule(client):
    page = client.get(reverse("instruments:detail", args=["spbe-2020"])).content.decode()
    assert "Jadwal bawaan" not in page


def test_an_indicator_shows_its_other_names(client):
    url = reverse("instruments:indicator", args=["pemdi-2026", "20"])
    page = client.get(url).content.decode()
    assert "Tingkat Pengelolaan Kepuasan Pengguna Layanan Digital Pemerintah" in page
    assert "Nama lain" in page
    assert "Tingkat Kematangan Pengelolaan Kepuasan Pengguna Layanan Digital Pemerintah" in page


def test_an_ikasandi_indicator_names_the_regulation_behind_ikasandi(client):
    url = reverse("instruments:indicator", args=["pemdi-2026", "10"])
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Dasar hukum: Peraturan BSSN Nomor 10 Tahun 2023" in page
