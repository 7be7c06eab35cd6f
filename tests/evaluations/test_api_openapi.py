"""The OpenAPI document at /api/v1/openapi.json describes every endpoint of the cycle, with
its input and output schemas, authentication and error shape."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/periods": {"get", "post"},
    "/api/v1/periods/{period_id}": {"get", "patch"},
    "/api/v1/periods/{period_id}/milestones": {"put"},
    "/api/v1/periods/{period_id}/milestones/{milestone_id}": {"delete"},
    "/api/v1/periods/{period_id}/close-self-assessment": {"post"},
    "/api/v1/periods/{period_id}/todo": {"get"},
    "/api/v1/periods/{period_id}/review-queue": {"get"},
    "/api/v1/periods/{period_id}/assignments": {"get", "put"},
    "/api/v1/periods/{period_id}/audit": {"get"},
    "/api/v1/answers/{answer_id}": {"get", "put"},
    "/api/v1/answers/{answer_id}/submit": {"post"},
    "/api/v1/answers/{answer_id}/verify": {"post"},
    "/api/v1/answers/{answer_id}/return": {"post"},
    "/api/v1/answers/{answer_id}/reopen": {"post"},
    "/api/v1/answers/{answer_id}/units": {"put"},
    "/api/v1/answers/{answer_id}/comments": {"post"},
    "/api/v1/answers/{answer_id}/passes/{stage}": {"put"},
    "/api/v1/answers/{answer_id}/response": {"put"},
    "/api/v1/tokens": {"get", "post"},
    "/api/v1/tokens/{token_id}": {"delete"},
    "/api/v1/me": {"get"},
}


@pytest.fixture(scope="module")
def document():
    from django.test import Client

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def schema_ref(content: dict) -> str:
    schema = content["application/json"]["schema"]
    return schema.get("$ref") or schema.get("items", {}).get("$ref", "")


def test_it_lists_every_endpoint_with_its_methods(document):
    paths = document["paths"]
    for path, methods in ENDPOINTS.items():
        assert path in paths, path
        assert set(paths[path]) == methods, path


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_it_documents_schemas_summaries_auth_and_errors(document, path):
    schemas = document["components"]["schemas"]
    for method, operation in document["paths"][path].items():
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        assert {"TokenAuth", "SessionAuth"} == {
            name for requirement in operation["security"] for name in requirement
        }, where
        success = next(code for code in operation["responses"] if code.startswith("2"))
        if success != "204":
            ref = schema_ref(operation["responses"][success]["content"])
            assert ref.removeprefix("#/components/schemas/") in schemas, where
        assert schema_ref(operation["responses"]["401"]["content"]).endswith("/ErrorOut"), where
        if "requestBody" in operation:
            ref = schema_ref(operation["requestBody"]["content"])
            body = schemas[ref.removeprefix("#/components/schemas/")]
            assert body["properties"], where


def test_it_gives_examples_for_the_inputs(document):
    schemas = document["components"]["schemas"]
    for name in ("AnswerSaveIn", "PeriodCreateIn", "PassIn", "MilestoneIn", "TokenCreateIn"):
        assert any("examples" in p for p in schemas[name]["properties"].values()), name


def test_it_describes_the_error_shape_and_the_conflicts_current_state(document):
    error = document["components"]["schemas"]["ErrorBodyOut"]["properties"]
    assert {"code", "message", "details", "current"} <= set(error)
    save = document["paths"]["/api/v1/answers/{answer_id}"]["put"]
    assert "409" in save["responses"]
