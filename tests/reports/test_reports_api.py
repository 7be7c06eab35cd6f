"""The exports through /api/v1/: the same files and permissions as the pages, binary
responses documented in OpenAPI, uniform errors, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reports_support import other_period, populate, rows, set_levels, workbook

from api_support import Api
from monev.reports.workbook import CONTENT_TYPE

pytestmark = pytest.mark.django_db


def test_the_list_names_every_export_with_its_file_and_address(world):
    response = Api.token(world.pimpinan).get(f"/periods/{world.period.pk}/exports")
    assert response.status_code == 200
    listed = {e["kind"]: e for e in response.json()}
    assert set(listed) == {"self-assessment", "units", "recap", "pdf", "summary-pdf"}
    assert listed["self-assessment"]["filename"] == "penilaian-mandiri-kota-contoh-2025.xlsx"
    assert listed["recap"]["url"] == f"/api/v1/periods/{world.period.pk}/exports/recap"
    assert listed["units"]["content_type"] == CONTENT_TYPE


@pytest.mark.parametrize("kind", ["self-assessment", "units", "recap"])
def test_a_member_downloads_a_workbook_by_token(world, kind):
    response = Api.token(world.pimpinan).get(f"/periods/{world.period.pk}/exports/{kind}")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert workbook(response.content).sheetnames[-1] == "Keterangan"


def test_an_operator_gets_only_their_units_rows_by_api(world):
    populate(world)
    response = Api.session(world.operator_b).get(
        f"/periods/{world.period.pk}/exports/self-assessment"
    )
    sheet = workbook(response.content).worksheets[0]
    assert [r["No. Indikator"] for r in rows(sheet)] == ["6", "7", "8", "9", "10"]


def test_refusals_answer_the_uniform_error_body(world):
    outsider = Api.token(world.outsider).get(f"/periods/{world.period.pk}/exports/recap")
    assert outsider.status_code == 404
    assert outsider.json()["error"]["code"] == "not_found"
    unknown = Api.token(world.koordinator).get(f"/periods/{world.period.pk}/exports/semua")
    assert unknown.status_code == 404 and "self-assessment" in unknown.json()["error"]["message"]
    anonymous = Api.anonymous().get(f"/periods/{world.period.pk}/exports/recap")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "unauthenticated"
    bad = Api.token(world.koordinator).get(
        "/exports/institutions", year="dua", instrument="spbe-2020"
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"]
    missing = Api.token(world.koordinator).get("/exports/institutions")
    assert missing.status_code == 422


def test_the_evaluator_gets_the_ranking_and_the_workbook_over_their_institutions(world):
    set_levels(world, "2")
    other_period(world, "3")
    api = Api.token(world.asesor_eksternal)
    ranking = api.get("/exports/institutions/ranking", year=2025, instrument="spbe-2020")
    assert ranking.status_code == 200
    body = ranking.json()
    assert [(r["rank"], r["institution_code"], r["index"], r["stage"]) for r in body["rows"]] == [
        (1, "kab-lain", "3.00", "self"),
        (2, "kota-contoh", "2.00", "self"),
    ]
    file = api.get("/exports/institutions", year=2025, instrument="spbe-2020")
    assert file.status_code == 200 and file["Content-Type"] == CONTENT_TYPE
    assert len(rows(workbook(file.content)["Peringkat"])) == 2
    mine = Api.token(world.koordinator).get(
        "/exports/institutions/ranking", year=2025, instrument="spbe-2020"
    )
    assert [r["institution_code"] for r in mine.json()["rows"]] == ["kota-contoh"]


def test_the_openapi_document_describes_the_binary_responses(world):
    from django.test import Client

    document = Client().get("/api/v1/openapi.json").json()
    paths = document["paths"]
    download = paths["/api/v1/periods/{period_id}/exports/{kind}"]["get"]
    content = download["responses"]["200"]["content"]
    assert content[CONTENT_TYPE]["schema"] == {"type": "string", "format": "binary"}
    assert "application/pdf" in content
    assert "404" in download["responses"]
    recap = paths["/api/v1/exports/institutions"]["get"]["responses"]["200"]["content"]
    assert CONTENT_TYPE in recap
    assert "/api/v1/periods/{period_id}/exports" in paths
    assert "/api/v1/exports/institutions/ranking" in paths


def test_the_api_runs_a_constant_number_of_queries(world):
    api = Api.session(world.koordinator)  # a token's first use also records it: one write
    paths = [f"/periods/{world.period.pk}/exports"] + [
        f"/periods/{world.period.pk}/exports/{kind}" for kind in ("self-assessment", "recap")
    ]

    def measure():
        counts = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert api.get(path).status_code == 200
            counts.append(len(captured.captured_queries))
        with CaptureQueriesContext(connection) as captured:
            api.get("/exports/institutions/ranking", year=2025, instrument="spbe-2020")
        return [*counts, len(captured.captured_queries)]

    populate(world)
    small = measure()
    other_period(world, "2")
    set_levels(world, "3")
    assert measure() == small
