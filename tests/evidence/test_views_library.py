"""The evidence library page: rows, filters, search with passages, the status poll, and a
constant number of queries however much evidence there is."""

from __future__ import annotations

import pytest
from django.urls import reverse
from views_support import (  # noqa: F401
    library_url,
    login,
    make_evidence,
    many_evidence,
    queries,
    tasks_in_process,
)

pytestmark = pytest.mark.django_db


def test_it_lists_the_evidence_with_its_facts(client, world):
    make_evidence(world, title="Perwal 12 Tahun 2024", document_number="12/2024")
    login(client, world, "koordinator")
    page = client.get(library_url(world)).content.decode()
    assert "Perwal 12 Tahun 2024" in page
    assert "12/2024" in page
    assert "Dinas A" in page
    assert "v1" in page


def test_it_polls_while_text_is_pending_and_returns_the_list_alone(client, world):
    make_evidence(world)  # the task is queued, not run: pending
    login(client, world, "koordinator")
    page = client.get(library_url(world)).content.decode()
    assert 'hx-trigger="every 3s"' in page
    fragment = client.get(
        library_url(world), headers={"HX-Request": "true", "HX-Target": "evidence-list"}
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert 'id="evidence-list"' in fragment.content.decode()


def test_it_filters_by_kind_and_unit(client, world):
    make_evidence(world, title="Perwal A", kind="peraturan")
    make_evidence(
        world, name="good.png", title="Layar B", kind="tangkapan_layar", unit=world.unit_b
    )
    login(client, world, "koordinator")
    page = client.get(library_url(world), {"kind": "peraturan"}).content.decode()
    assert "Perwal A" in page and "Layar B" not in page
    page = client.get(library_url(world), {"unit_id": world.unit_b.pk}).content.decode()
    assert "Layar B" in page and "Perwal A" not in page
    page = client.get(library_url(world), {"kind": "nonsense", "unit_id": "x"}).content.decode()
    assert "Layar B" in page and "Perwal A" in page


def test_it_shows_an_operator_only_their_units_evidence(client, world):
    make_evidence(world, title="Perwal A")
    make_evidence(
        world, name="good.png", title="Layar B", kind="tangkapan_layar", unit=world.unit_b
    )
    login(client, world, "operator_b")
    page = client.get(library_url(world)).content.decode()
    assert "Layar B" in page and "Perwal A" not in page


@pytest.mark.usefixtures("tasks_in_process")
def test_it_finds_evidence_by_a_phrase_inside_the_file(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_evidence(world, title="Dokumen satu")
        make_evidence(world, name="good.docx", title="Dokumen dua", kind="sop")
    login(client, world, "operator")
    page = client.get(library_url(world), {"q": "Tim Koordinasi"}).content.decode()
    assert "Dokumen dua" in page and "Dokumen satu" not in page
    assert "<mark>" in page
    page = client.get(library_url(world), {"q": "Arsitektur", "kind": "sop"}).content.decode()
    assert "Dokumen satu" not in page  # the filter still applies
    page = client.get(library_url(world), {"q": '"<script>'}).content.decode()
    assert "<script>" not in page.split("<main")[1]


def test_it_shows_the_tabs_of_the_period_it_was_opened_from(client, world):
    login(client, world, "koordinator")
    page = client.get(library_url(world), {"period_id": world.period.pk}).content.decode()
    assert reverse("evaluations:overview", args=[world.period.pk]) in page
    assert 'aria-current="page">Data dukung' in page or "aria-current" in page
    overview = client.get(reverse("evaluations:overview", args=[world.period.pk])).content.decode()
    assert library_url(world) in overview


def test_it_reads_the_library_in_constant_queries(client, world):
    login(client, world, "operator")
    many_evidence(world, 3, link_to=world.answer("1"))
    few = queries(lambda: client.get(library_url(world)))
    many_evidence(world, 12, start=3, link_to=world.answer("2"))
    assert queries(lambda: client.get(library_url(world))) == few
    assert few <= 9
