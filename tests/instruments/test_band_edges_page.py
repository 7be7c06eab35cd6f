"""The instrument page states how band edges are read (issue 15): pemdi-2026's bands are
upper-inclusive and contested, with their confidence and sources; spbe-2020's are not."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_pemdi_page_says_its_band_edges_are_upper_inclusive_and_contested(client):
    page = client.get(reverse("instruments:detail", args=["pemdi-2026"])).content.decode()
    assert "&gt; 1,5 dan ≤ 2,5" in page  # Cukup: 1,51-2,50
    assert "masuk ke pita di bawahnya (batas atas inklusif)" in page
    assert "Rintisan" in page and "1,51-2,50" in page  # the note and its sources
    assert "keyakinan: sedang" in page
    assert "nilai 1,5–2,5" in page  # the values level 2 (Membangun) names


def test_the_spbe_2020_page_states_no_contested_edges(client):
    page = client.get(reverse("instruments:detail", args=["spbe-2020"])).content.decode()
    assert "≥ 2,6 dan &lt; 3,5" in page  # Baik
    assert "batas atas inklusif" not in page and "batas bawah inklusif" not in page
