"""The PDF downloads, on the pages and through the API: who may get them, the attachment's
name, the OpenAPI description, and a query count that does not grow with the data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pdf_support import UNIT_A_NOTE, UNIT_B_NOTE, assessor_note, pdf_text, scored

from api_support import Api
from monev.evaluations.models import AnswerUnit, PublishedResult
from monev.institutions.models import Unit

pytestmark = pytest.mark.django_db

MEMBERS = ["koordinator", "operator", "asesor_internal", "asesor_eksternal", "pimpinan", "admin"]
PAGES = {"reports:report_pdf": "laporan", "reports:summary_pdf": "ringkasan"}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", MEMBERS)
def test_every_member_downloads_the_pdf_as_an_attachment(world, client, persona, name):
    client.force_login(world.personas()[persona])
    response = client.get(reverse(name, args=[world.period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{PAGES[name]}-kota-contoh-pemantauan-2025.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("name", PAGES)
def test_an_outsider_gets_not_found_and_an_anonymous_visitor_the_login(world, client, name):
    url = reverse(name, args=[world.period.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse(name, args=[999999])).status_code == 404


def test_an_operator_gets_only_their_units_recommendations(world, client):
    scored(world)
    client.force_login(world.operator_b)
    text = " ".join(
        pdf_text(client.get(reverse("reports:report_pdf", args=[world.period.pk])).content)
    )
    assert UNIT_B_NOTE in text and UNIT_A_NOTE not in text


@pytest.mark.parametrize("path", ["report.pdf", "summary.pdf"])
def test_the_api_answers_the_pdf_to_a_member_and_an_error_body_to_others(world, path):
    response = Api.token(world.pimpinan).get(f"/periods/{world.period.pk}/{path}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    refused = Api.token(world.outsider).get(f"/periods/{world.period.pk}/{path}")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert Api.anonymous().get(f"/periods/{world.period.pk}/{path}").status_code == 401


def test_the_openapi_document_describes_the_pdf_responses(world):
    schema = Api.anonymous().get("/openapi.json").json()
    for path in ("report.pdf", "summary.pdf"):
        operation = schema["paths"][f"/api/v1/periods/{{period_id}}/{path}"]["get"]
        content = operation["responses"]["200"]["content"]
        assert content == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
        assert {"401", "404"} <= set(operation["responses"])


def grow(world) -> None:
    """More units with more assignments, assessors' notes, published years."""
    units = Unit.objects.bulk_create(
        Unit(institution=world.institution, code=f"U{n:02}", name=f"Dinas {n}") for n in range(12)
    )
    answers = list(world.period.answers.all())
    AnswerUnit.objects.bulk_create([AnswerUnit(answer=a, unit=u) for a in answers for u in units])
    for number in ("11", "12", "13", "14"):
        assessor_note(world, number, f"Catatan {number}")
    PublishedResult.objects.bulk_create(
        PublishedResult(
            institution=world.institution,
            year=year,
            instrument_id="spbe-2020",
            index=Decimal("2.50"),
        )
        for year in range(2021, 2025)
    )


def pdf_queries(client, world, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name, args=[world.period.pk])).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["koordinator", "operator"])
def test_the_pdf_runs_as_many_queries_however_much_data(
    world, client, persona, name, django_assert_num_queries
):
    scored(world)
    client.force_login(world.personas()[persona])
    small = pdf_queries(client, world, name)
    grow(world)
    with django_assert_num_queries(small):
        client.get(reverse(name, args=[world.period.pk]))
    assert small <= 25, f"{small} queries"


def test_the_reports_page_links_both_pdfs_and_says_what_they_are(world, client):
    client.force_login(world.pimpinan)
    page = client.get(reverse("reports:period", args=[world.period.pk])).content.decode()
    assert reverse("reports:report_pdf", args=[world.period.pk]) in page
    assert reverse("reports:summary_pdf", args=[world.period.pk]) in page
    assert "Ringkasan satu halaman (PDF)" in page and "PDF untuk pimpinan" in page
