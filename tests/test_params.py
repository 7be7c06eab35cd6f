"""The pages' query parameters carry the API's names; the old Indonesian names answer a
permanent redirect to the same page with the new names, the other parameters in their place."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from monev.lib.params import OLD_NAMES, renamed_query


def test_a_query_without_an_old_name_is_left_alone():
    assert renamed_query("year=2025&page=2", OLD_NAMES) is None
    assert renamed_query("", OLD_NAMES) is None


def test_old_names_are_renamed_in_place_keeping_the_others_and_their_order():
    query = "q=a+b&tahun=2025&kind=kota&halaman=2&x=%C3%A9"
    assert renamed_query(query, OLD_NAMES) == "q=a+b&year=2025&kind=kota&page=2&x=%C3%A9"


def test_a_parameter_given_by_its_new_name_wins_over_its_old_name():
    assert renamed_query("tahun=2024&year=2025", OLD_NAMES) == "year=2025"


def test_a_name_outside_the_views_map_is_not_renamed():
    assert renamed_query("unit=3&tahun=2025", {"tahun": "year"}) == "unit=3&year=2025"


def _url(name: str, world) -> str:
    if name in ("benchmarking:peers", "evidence:library"):
        return reverse(name, args=[world.institution.pk])
    if name == "monitoring:forecast":
        return reverse(name, args=[world.period.pk])
    return reverse(name)


OLD_URLS = [
    ("benchmarking:progress", "tahun=2025&instrumen=spbe-2020&urut=due&halaman=2"),
    ("benchmarking:rankings", "tahun=2025&sumber=published&jenis=kota&provinsi=Bali"),
    ("benchmarking:distributions", "tahun=2025&instrumen=spbe-2020&sumber=computed"),
    ("benchmarking:peers", "tahun=2025"),
    ("reports:institutions", "tahun=2025&instrumen=spbe-2020"),
    ("reports:institutions_download", "tahun=2025&instrumen=spbe-2020"),
    ("assignments:board", "tahun=2026&jenis=kota&provinsi=Bali&halaman=2"),
    ("assessor:queue", "instansi=1&tahun=2026&tahap=dokumen"),
    ("monitoring:forecast", "pada=2025-06-30"),
    ("evidence:library", "periode=1&q=rapat&unit=2&page=2"),
]


@pytest.mark.parametrize(("name", "query"), OLD_URLS)
def test_a_page_asked_with_its_old_names_redirects_permanently_to_the_new_ones(world, name, query):
    client = Client()
    client.force_login(world.koordinator)
    url = _url(name, world)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 301
    assert response["Location"] == f"{url}?{renamed_query(query, OLD_NAMES)}"
    names = [pair.split("=")[0] for pair in response["Location"].split("?", 1)[1].split("&")]
    assert not set(names) & set(OLD_NAMES)


def test_the_redirect_carries_every_parameter_by_its_new_name(world):
    client = Client()
    client.force_login(world.koordinator)
    url = reverse("evidence:library", args=[world.institution.pk])
    response = client.get(f"{url}?periode=7&q=rapat&unit=2&page=3")
    assert response["Location"] == f"{url}?period_id=7&q=rapat&unit_id=2&page=3"


def test_the_page_answers_the_new_names_without_a_redirect(world):
    world.koordinator.evaluator_scope = "nasional"
    world.koordinator.save()
    client = Client()
    client.force_login(world.koordinator)
    response = client.get(reverse("benchmarking:progress"), {"year": 2025, "sort": "due"})
    assert response.status_code == 200
    response = client.get(reverse("assignments:board"), {"year": 2026, "page": 1})
    assert response.status_code == 200
