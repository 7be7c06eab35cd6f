"""An evidence item's page: description with optimistic locking, versions and downloads,
where it is used, the text's first lines; constant queries however often it is used."""

from __future__ import annotations

import pytest
from django.urls import reverse
from views_support import file, login, make_evidence, png, queries, tasks_in_process  # noqa: F401

from monev.evidence import services
from monev.evidence.models import Evidence

pytestmark = pytest.mark.django_db


def detail_url(evidence) -> str:
    return reverse("evidence:detail", args=[evidence.pk])


def edit(evidence, **changes) -> dict:
    data = {
        "version": evidence.version,
        "title": evidence.title,
        "kind": evidence.kind,
        "document_number": evidence.document_number,
        "document_date": "",
        "effective_date": "",
        "unit": evidence.unit_id,
        "url": "",
        "access_notes": "",
    }
    return {**data, **changes}


@pytest.mark.usefixtures("tasks_in_process")
def test_it_shows_the_text_status_pages_and_first_lines(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = make_evidence(world)
    login(client, world, "operator")
    page = client.get(detail_url(evidence)).content.decode()
    assert "Arsitektur SPBE" in page  # the start of the extracted text
    assert "2 " in page and "badge-ok" in page


def test_it_saves_the_description_and_refuses_a_stale_version(client, world):
    evidence = make_evidence(world)
    login(client, world, "operator")
    response = client.post(
        reverse("evidence:update", args=[evidence.pk]),
        edit(evidence, title="Perwal SPBE", document_number="12/2024", document_date="2024-05-02"),
    )
    assert response.status_code == 302
    saved = Evidence.objects.get(pk=evidence.pk)
    assert (saved.title, saved.document_number, str(saved.document_date)) == (
        "Perwal SPBE",
        "12/2024",
        "2024-05-02",
    )
    # A second person still holding version 1:
    response = client.post(
        reverse("evidence:update", args=[evidence.pk]), edit(evidence, title="Judul saya")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Perwal SPBE" in page  # theirs
    assert 'value="Judul saya"' in page  # mine, kept
    assert f'name="version" value="{saved.version}"' in page


def test_it_refuses_an_invalid_description_in_place(client, world):
    evidence = make_evidence(world)
    login(client, world, "operator")
    response = client.post(
        reverse("evidence:update", args=[evidence.pk]), edit(evidence, title="", kind="x")
    )
    assert response.status_code == 422
    assert "field-invalid" in response.content.decode()


def test_it_keeps_old_versions_downloadable(client, world):
    evidence = make_evidence(world, name="good.png", kind="tangkapan_layar")
    login(client, world, "operator")
    url = reverse("evidence:add_version", args=[evidence.pk])
    response = client.post(
        url, {"version": evidence.version, "change_note": "", "file": file("b.png", png(3))}
    )
    assert response.status_code == 422
    response = client.post(
        url,
        {
            "version": evidence.version,
            "change_note": "versi bertanda tangan",
            "file": file("b.png", png(3)),
        },
    )
    assert response.status_code == 302
    page = client.get(detail_url(evidence)).content.decode()
    assert "versi bertanda tangan" in page and "v2" in page and "v1" in page
    versions = list(evidence.versions.order_by("number"))
    first = client.get(reverse("evidence:download", args=[versions[0].pk]))
    second = client.get(reverse("evidence:download", args=[versions[1].pk]))
    assert b"".join(first.streaming_content) == file("good.png").read()
    assert b"".join(second.streaming_content) == png(3)
    # Stale version: 409, nothing lost
    response = client.post(
        url, {"version": evidence.version, "change_note": "lagi", "file": file("c.png", png(4))}
    )
    assert response.status_code == 409


def test_it_downloads_with_a_safe_name_as_an_attachment(client, world):
    evidence = make_evidence(world, name="good.pdf")
    version = evidence.versions.get()
    version.original_name = "Perwal “SPBE” ñ.pdf"
    version.save()
    login(client, world, "pimpinan")
    response = client.get(reverse("evidence:download", args=[version.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Perwal _SPBE_ _.pdf"')
    assert "filename*=UTF-8''Perwal%20%E2%80%9CSPBE%E2%80%9D%20%C3%B1.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(version.file.size)


def test_it_adds_a_link_with_access_notes(client, world):
    login(client, world, "operator")
    response = client.post(
        reverse("evidence:link_create", args=[world.institution.pk]),
        {
            "title": "e-Office",
            "url": "https://eoffice.example.id",
            "access_notes": "akun: uji",
            "unit": world.unit_a.pk,
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    page = client.get(detail_url(evidence)).content.decode()
    assert "https://eoffice.example.id" in page and "akun: uji" in page
    response = client.post(
        reverse("evidence:link_create", args=[world.institution.pk]),
        {"title": "Bad", "url": "javascript:alert(1)", "unit": world.unit_a.pk},
    )
    assert response.status_code == 422


def test_it_reads_the_page_in_constant_queries(client, world):
    evidence = make_evidence(world)
    login(client, world, "koordinator")
    for n in range(1, 3):
        services.evidence_link(
            actor=world.koordinator,
            answer_id=world.answer(str(n)).pk,
            evidence_id=evidence.pk,
            levels=[1],
        )
    few = queries(lambda: client.get(detail_url(evidence)))
    for n in range(3, 9):
        services.evidence_link(
            actor=world.koordinator,
            answer_id=world.answer(str(n)).pk,
            evidence_id=evidence.pk,
            levels=[1, 2],
        )
    for n in range(2, 5):
        evidence = Evidence.objects.get(pk=evidence.pk)
        services.evidence_add_version(
            actor=world.koordinator,
            evidence_id=evidence.pk,
            expected_version=evidence.version,
            uploaded=file("x.png", png(n)),
            change_note=f"v{n}",
        )
    assert queries(lambda: client.get(detail_url(evidence))) == few
