"""Answers through /api/v1/: detail, saves with versions (no lost updates), workflow
actions, assessor passes; bad input answers 4xx in the one error shape and saves nothing."""

from __future__ import annotations

from decimal import Decimal

from api_support import Api
from monev.evaluations import services
from monev.evaluations.models import Answer


def answer_path(world, indicator: str = "1") -> str:
    return f"/answers/{world.answer(indicator).pk}"


def test_it_shows_an_answer_with_its_criteria_units_and_what_the_caller_may_do(world):
    data = Api.session(world.operator).ok("get", answer_path(world))
    assert (data["number"], data["status"], data["version"]) == ("1", "draft", 1)
    assert [level["level"] for level in data["levels"]] == [1, 2, 3, 4, 5]
    assert all(level["criteria"] for level in data["levels"])
    assert [unit["code"] for unit in data["units"]] == ["A"]
    assert [unit["code"] for unit in data["institution_units"]] == ["A", "B"]
    assert data["my_capabilities"] == [
        "comment",
        "edit_answer",
        "manage_evidence",
        "submit_answer",
        "view",
    ]
    assert data["passes"] == [] and data["comments"] == []


def test_it_refuses_the_second_of_two_saves_of_one_version_and_shows_the_first(world):
    path, version = answer_path(world), world.answer("1").version
    operator, koordinator = Api.token(world.operator), Api.token(world.koordinator)
    first = operator.put(path, {"level": "4", "explanation": "versi operator", "version": version})
    second = koordinator.put(
        path, {"level": "2", "explanation": "versi koordinator", "version": version}
    )
    assert (first.status_code, second.status_code) == (200, 409)
    error = second.json()["error"]
    assert error["code"] == "conflict"
    assert error["current"]["explanation"] == "versi operator"
    assert error["current"]["version"] == first.json()["version"] == version + 1
    assert error["current"]["updated_by"] == str(world.operator)
    answer = world.answer("1")
    assert (answer.level, answer.explanation) == (Decimal(4), "versi operator")


def test_it_refuses_a_workflow_action_on_a_stale_version(world):
    api = Api.session(world.operator)
    path = answer_path(world)
    saved = api.ok("put", path, {"level": "3", "explanation": "Perwal", "version": 1})
    response = api.post(f"{path}/submit", {"version": saved["version"] - 1})
    assert response.status_code == 409
    assert world.answer("1").status == Answer.Status.DRAFT


def test_it_refuses_a_level_the_instrument_does_not_allow(world):
    response = Api.session(world.operator).put(
        answer_path(world), {"level": "3.5", "explanation": "x", "version": 1}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["details"][0]["location"] == "level"
    assert world.answer("1").level is None


def test_it_names_the_missing_field(world):
    response = Api.session(world.operator).put(answer_path(world), {"level": "3"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert "body.payload.version" in [d["location"] for d in error["details"]]


def test_it_answers_400_to_a_body_that_is_not_json(world):
    api = Api.session(world.operator)
    response = api.client.put(
        "/api/v1" + answer_path(world), data="{level: 3", content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert error["message"] == "Isi permintaan tidak dapat dibaca: kirim JSON yang valid."


def test_it_requires_the_submission_to_be_complete(world):
    response = Api.session(world.operator).post(answer_path(world) + "/submit", {"version": 1})
    assert response.status_code == 422
    locations = {d["location"] for d in response.json()["error"]["details"]}
    assert locations == {"level", "explanation"}


def test_it_requires_a_note_to_return_an_answer(world):
    operator, internal = Api.session(world.operator), Api.session(world.asesor_internal)
    path = answer_path(world)
    saved = operator.ok("put", path, {"level": "3", "explanation": "Perwal", "version": 1})
    submitted = operator.ok("post", f"{path}/submit", {"version": saved["version"]})
    response = internal.post(f"{path}/return", {"version": submitted["version"], "note": "  "})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["location"] == "note"
    assert world.answer("1").status == Answer.Status.SUBMITTED


def test_it_reopens_a_final_answer_with_a_reason_for_the_koordinator(world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    api = Api.session(world.koordinator)
    path = answer_path(world)
    version = world.answer("1").version
    reopened = api.ok("post", f"{path}/reopen", {"version": version, "reason": "Salah ketik"})
    assert (reopened["status"], reopened["reopened"]) == ("returned", True)
    saved = api.ok(
        "put", path, {"level": "2", "explanation": "Perbaikan", "version": reopened["version"]}
    )
    assert saved["level"] == "2.00"


def test_it_sets_the_units_responsible_for_an_answer(world):
    api = Api.session(world.koordinator)
    path = answer_path(world)
    data = api.ok("put", f"{path}/units", {"unit_ids": [world.unit_b.pk, world.unit_a.pk]})
    assert data == {"unit_ids": sorted([world.unit_a.pk, world.unit_b.pk])}
    other_institution_unit = api.put(f"{path}/units", {"unit_ids": [999999]})
    assert other_institution_unit.status_code == 422


def test_it_adds_a_comment(world):
    api = Api.session(world.asesor_internal)
    comment = api.ok("post", answer_path(world) + "/comments", {"body": " Cek SK "}, status=201)
    assert (comment["body"], comment["author"]) == ("Cek SK", str(world.asesor_internal))
    assert api.post(answer_path(world) + "/comments", {"body": ""}).status_code == 422


def test_it_records_passes_in_order_and_refuses_a_stale_one(world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    external = Api.token(world.asesor_eksternal)
    path = answer_path(world)
    early = external.put(f"{path}/passes/interview", {"level": "3", "version": 0})
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "invalid_transition"
    saved = external.ok("put", f"{path}/passes/document_review", {"level": "3", "notes": "SK ada"})
    assert (saved["stage"], saved["level"], saved["version"]) == ("document_review", "3.00", 1)
    stale = external.put(f"{path}/passes/document_review", {"level": "2", "version": 0})
    assert stale.status_code == 409
    assert stale.json()["error"]["current"]["notes"] == "SK ada"
    unknown = external.put(f"{path}/passes/sidang", {"level": "2", "version": 0})
    assert unknown.status_code == 422


def test_it_refuses_passes_before_the_self_assessment_is_final(world):
    response = Api.session(world.asesor_eksternal).put(
        answer_path(world) + "/passes/document_review", {"level": "3", "version": 0}
    )
    assert response.status_code == 409


def test_it_records_the_institutions_response_to_the_provisional_level(world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    path = answer_path(world)
    koordinator = Api.session(world.koordinator)
    too_early = koordinator.put(f"{path}/response", {"response": "Keberatan", "version": 0})
    assert too_early.status_code == 409
    Api.session(world.asesor_eksternal).ok("put", f"{path}/passes/document_review", {"level": "2"})
    data = koordinator.ok("put", f"{path}/response", {"response": "Keberatan", "version": 1})
    assert (data["institution_response"], data["version"]) == ("Keberatan", 2)
