"""The issue's journey through the pages: an operator uploads two files for unit A, links
them to answer 1 at levels 1-2, sees the readiness checks, finds the PDF by a phrase from
inside it; the koordinator sees where each item is used."""

from __future__ import annotations

import pytest
from django.urls import reverse
from views_support import file, library_url, login, tasks_in_process, upload_url  # noqa: F401

from monev.evidence.models import Evidence, EvidenceLink

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]

PHRASE = "Arsitektur SPBE"


def test_it_runs_the_operators_journey(client, world, django_capture_on_commit_callbacks):
    login(client, world, "operator")
    assert client.get(library_url(world)).status_code == 200
    assert client.get(upload_url(world)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url(world),
            {
                "file": [file("good.pdf", as_name="perwal-12-2024.pdf"), file("good.png")],
                "kind": "peraturan",
                "unit": str(world.unit_a.pk),
                "document_number": "12/2024",
                "document_date": "2024-03-01",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    pdf = Evidence.objects.get(title="perwal-12-2024.pdf")
    image = Evidence.objects.get(title="good.png")
    assert pdf.versions.get().file.text_status == "done"

    page = client.get(library_url(world)).content.decode()
    assert "perwal-12-2024.pdf" in page and "good.png" in page

    answer = world.answer("1")
    for evidence in (pdf, image):
        response = client.post(
            reverse("evidence:answer_link", args=[answer.pk]),
            {"evidence": str(evidence.pk), "levels": ["1", "2"]},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert EvidenceLink.objects.filter(answer=answer).count() == 4

    page = client.get(reverse("answers:detail", args=[answer.pk])).content.decode()
    assert "readiness-heading" in page
    assert page.index("readiness-heading") < page.index("work-heading")
    assert "perwal-12-2024.pdf" in page

    page = client.get(library_url(world), {"q": PHRASE}).content.decode()
    assert "perwal-12-2024.pdf" in page
    assert "<mark>" in page
    assert "good.png" not in page

    client.logout()
    login(client, world, "koordinator")
    for evidence in (pdf, image):
        page = client.get(reverse("evidence:detail", args=[evidence.pk])).content.decode()
        assert reverse("answers:detail", args=[answer.pk]) in page
        assert "1, 2" in page

    version = pdf.versions.get()
    response = client.get(reverse("evidence:download", args=[version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == file("good.pdf").read()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''perwal-12-2024.pdf" in response["Content-Disposition"]
