"""The evidence API: list and search, multipart upload and JSON links, description with
optimistic locking, versions, download, answer links (PUT replaces the levels), readiness;
uniform errors, and lists in constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from views_support import file, make_evidence, many_evidence, png, queries, tasks_in_process  # noqa: F401

from api_support import Api
from monev.evaluations import services as evaluation_services
from monev.evidence.models import Evidence, EvidenceLink

pytestmark = pytest.mark.django_db


def base(world) -> str:
    return f"/institutions/{world.institution.pk}/evidence"


def upload(api, world, name="good.pdf", content=None, **fields):
    data = {"file": file(name, content), "kind": "peraturan", "unit_id": world.unit_a.pk, **fields}
    return api.client.post(f"/api/v1{base(world)}", data, headers=api.headers)


@pytest.mark.usefixtures("tasks_in_process")
def test_it_uploads_lists_and_searches(world, django_capture_on_commit_callbacks):
    api = Api.token(world.operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api, world, document_number="12/2024", document_date="2024-02-01")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "good.pdf"
    assert body["document_date"] == "2024-02-01"
    assert body["versions"][0]["file_kind"] == "pdf"
    assert body["unit"]["id"] == world.unit_a.pk
    listed = api.ok("get", base(world))
    assert listed["count"] == 1 and listed["items"][0]["text_status"] == "done"
    found = api.get(base(world), q="Arsitektur").json()
    assert found["count"] == 1 and "<mark>" in found["items"][0]["passage"]
    assert api.get(base(world), q="tidakadasamasekali").json()["count"] == 0
    assert api.get(base(world), kind="sop").json()["count"] == 0


def test_it_refuses_bad_uploads_uniformly(world):
    api = Api.token(world.operator)
    response = upload(api, world, kind="nonsense")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    response = api.client.post(f"/api/v1{base(world)}", {"kind": "peraturan"}, headers=api.headers)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["location"] == "file"
    response = upload(api, world, unit_id=world.unit_b.pk)
    assert response.status_code == 403
    response = api.call("post", base(world), {"title": "x", "url": "ftp://x"})
    assert response.status_code == 422


def test_it_adds_a_link_with_json(world):
    api = Api.token(world.koordinator)
    body = api.ok(
        "post",
        base(world),
        {"title": "e-Office", "url": "https://eoffice.example.id", "access_notes": "akun uji"},
        status=201,
    )
    assert body["kind"] == "tautan" and body["versions"] == [] and body["text_status"] is None


def test_it_changes_the_description_with_the_version(world):
    evidence = make_evidence(world)
    api = Api.token(world.operator)
    body = api.ok(
        "patch",
        f"/evidence/{evidence.pk}",
        {"version": 1, "title": "Perwal 12", "document_number": "12"},
    )
    assert (body["title"], body["document_number"], body["version"]) == ("Perwal 12", "12", 2)
    assert body["kind"] == "peraturan"  # unchanged
    response = api.patch(f"/evidence/{evidence.pk}", {"version": 1, "title": "Lain"})
    assert response.status_code == 409
    assert response.json()["error"]["current"]["title"] == "Perwal 12"


def test_it_adds_versions_and_downloads_each(world):
    evidence = make_evidence(world, name="good.png", kind="tangkapan_layar")
    api = Api.token(world.operator)
    response = api.client.post(
        f"/api/v1/evidence/{evidence.pk}/versions",
        {"file": file("b.png", png(2)), "version": 1, "change_note": "diperbarui"},
        headers=api.headers,
    )
    assert response.status_code == 201, response.content
    version = response.json()
    assert version["number"] == 2 and version["change_note"] == "diperbarui"
    download = api.get(f"/evidence/versions/{version['id']}/download")
    assert b"".join(download.streaming_content) == png(2)
    assert download["Content-Disposition"].startswith("attachment;")
    detail = api.ok("get", f"/evidence/{evidence.pk}")
    assert [v["number"] for v in detail["versions"]] == [2, 1]


def test_it_sets_an_answers_levels_and_reads_readiness(world):
    answer = world.answer("1")
    evaluation_services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(3),
        explanation="x",
    )
    evidence = make_evidence(world)
    api = Api.token(world.operator)
    path = f"/answers/{answer.pk}/evidence/{evidence.pk}"
    assert api.ok("put", path, {"levels": [1, 2, 3]})["levels"] == [1, 2, 3]
    assert api.ok("put", path, {"levels": [2]})["levels"] == [2]
    assert list(EvidenceLink.objects.values_list("level", flat=True)) == [2]
    assert api.put(path, {"levels": [9]}).status_code == 422
    readiness = api.ok("get", f"/answers/{answer.pk}/readiness")
    assert readiness["claimed"] == 3
    codes = {check["code"] for check in readiness["checks"]}
    assert "policy_no_number" in codes
    assert readiness["ready"] is False
    assert [item["level"] for item in readiness["checklist"]][:3] == [1, 2, 3]
    used = api.ok("get", f"/evidence/{evidence.pk}")["used_in"]
    assert used == [
        {
            "answer_id": answer.pk,
            "period_id": world.period.pk,
            "period_year": 2025,
            "period_kind": "pemantauan",
            "indicator": "1",
            "levels": [2],
        }
    ]
    assert api.delete(path).status_code == 204
    assert api.delete(path).status_code == 404
    assert not EvidenceLink.objects.exists()


def test_it_hides_other_institutions_evidence(world):
    evidence = make_evidence(world)
    api = Api.token(world.outsider)
    assert api.get(f"/evidence/{evidence.pk}").status_code == 404
    assert api.get(f"/evidence/{evidence.pk + 999}").status_code == 404
    assert api.get(base(world)).status_code == 404
    assert Evidence.objects.count() == 1


def test_it_lists_in_constant_queries(world):
    api = Api.token(world.koordinator)
    many_evidence(world, 3, link_to=world.answer("1"))
    api.get(base(world))  # the token's first use is recorded once
    few = queries(lambda: api.get(base(world)))
    many_evidence(world, 10, start=3, link_to=world.answer("2"))
    assert queries(lambda: api.get(base(world))) == few
    detail_id = Evidence.objects.first().pk
    assert queries(lambda: api.get(f"/evidence/{detail_id}")) <= 12


def test_it_documents_the_endpoints(world):
    schema = Api.anonymous().client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert (
        "multipart/form-data"
        in (
            paths["/api/v1/institutions/{institution_id}/evidence"]["post"]["requestBody"][
                "content"
            ]
        )
    )
    for path in (
        "/api/v1/evidence/{evidence_id}",
        "/api/v1/evidence/{evidence_id}/versions",
        "/api/v1/evidence/versions/{version_id}/download",
        "/api/v1/answers/{answer_id}/evidence/{evidence_id}",
        "/api/v1/answers/{answer_id}/readiness",
    ):
        assert path in paths
