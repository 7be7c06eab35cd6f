"""Every error from /api/v1/ answers {"error": {"code", "message", "details"}} in JSON, also
those the framework answers before any handler runs."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from api_support import BASE, Api


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert isinstance(error["details"], list)
    return error


@pytest.mark.parametrize("path", ["/nope", "/periods/", "/periods/1/nope", "/answers/3/nope"])
def test_unknown_api_path_answers_404_json(world, path):
    api = Api.token(world.koordinator)
    assert_error(api.get(path), 404, "not_found")


def test_unknown_api_path_answers_404_json_anonymously(db):
    assert_error(Client().get(BASE + "/nope/deeper"), 404, "not_found")


def test_method_not_allowed_answers_405_json_with_allow(world):
    api = Api.token(world.koordinator)
    response = api.delete("/periods")
    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_body_over_the_limit_answers_413_json(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = world.answer("3")
    payload = {"level": "3", "explanation": "x" * 5000, "version": answer.version}
    response = Api.token(world.koordinator).put(f"/answers/{answer.pk}", payload)
    assert_error(response, 413, "too_large")
    answer.refresh_from_db()
    assert answer.explanation == ""


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_body_of_another_type_answers_415_json(world, content_type):
    answer = world.answer("3")
    api = Api.token(world.koordinator)
    body = json.dumps({"level": "3", "version": answer.version})
    response = api.client.put(
        f"{BASE}/answers/{answer.pk}", body, content_type=content_type, headers=api.headers
    )
    error = assert_error(response, 415, "unsupported_media_type")
    assert "application/json" in error["message"]
    answer.refresh_from_db()
    assert answer.level is None


def test_unreadable_json_answers_400_json(world):
    answer = world.answer("3")
    api = Api.token(world.koordinator)
    response = api.client.put(
        f"{BASE}/answers/{answer.pk}", "{nope", content_type="application/json", headers=api.headers
    )
    assert_error(response, 400, "bad_request")


def test_session_write_without_csrf_token_answers_403_json(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.koordinator)
    answer = world.answer("3")
    response = client.put(
        f"{BASE}/answers/{answer.pk}",
        json.dumps({"level": "3", "version": answer.version}),
        content_type="application/json",
    )
    assert_error(response, 403, "csrf_failed")
    response = client.post(f"{BASE}/tokens", {"name": "x"}, content_type="application/json")
    assert_error(response, 403, "csrf_failed")


def test_no_credentials_answers_401_json(db):
    assert_error(Client().get(BASE + "/periods"), 401, "unauthenticated")
    bad = Client().get(BASE + "/periods", headers={"Authorization": "Bearer monev_wrong"})
    assert_error(bad, 401, "unauthenticated")


def test_openapi_documents_the_error_body_on_every_operation(db):
    schema = Client().get(BASE + "/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
            where = f"{method.upper()} {path}"
            assert operation.get("description"), f"{where} has no description"
            if "requestBody" in operation:
                assert {"400", "415", "422"} <= set(errors), where
            if "{" in path:
                assert "404" in errors, where
            if operation.get("security"):
                assert "401" in errors, where
            for status, response in errors.items():
                content = response["content"]["application/json"]["schema"]
                ref = content.get("$ref", "")
                assert ref.endswith(("/ErrorOut", "/DuplicateOut")), (where, status, content)


def test_text_with_a_nul_character_answers_422_on_every_database(world):
    api = Api.token(world.koordinator)
    response = api.post("/tokens", {"name": "a\x00b"})
    assert_error(response, 422, "invalid_input")
    assert_error(
        api.get("/exports/institutions", year=2025, instrument="a\x00"), 422, "invalid_input"
    )
