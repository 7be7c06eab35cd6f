"""Bulk actions through the API (POST /api/v1/periods/ID/bulk-actions/preview and
/bulk-actions): only the koordinator and admin (403 for the institution's other roles, 404
outside it); a preview that changes nothing; an action with one audit event per answer and
the shared reason; skipped answers with why, an answer changed since the preview among them;
422 for bad input; an extension that lets the unit's operator save after the close; the same
number of queries for 30 answers as for 5; documented in the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from page_support import submitted

from api_support import Api
from monev.audit.models import AuditEvent
from monev.evaluations import services
from monev.evaluations.models import Answer, AnswerUnit, Comment, DeadlineExtension, Milestone
from monev.institutions.models import Unit

pytestmark = pytest.mark.django_db

Status = Answer.Status
REASON = "Bukti baru dari Diskominfo"


def english(api: Api) -> Api:
    api.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return api


def preview_path(world) -> str:
    return f"/periods/{world.period.pk}/bulk-actions/preview"


def apply_path(world) -> str:
    return f"/periods/{world.period.pk}/bulk-actions"


def body(world, action="return", scope=None, **fields) -> dict:
    return {"action": action, "scope": scope or {"unit_id": world.unit_a.pk}, **fields}


def statuses(world, *numbers: str) -> list[str]:
    return [world.answer(n).status for n in numbers]


def close_self_assessment_yesterday(world) -> None:
    Milestone.objects.filter(period=world.period, kind="self_assessment_close").update(
        due_at=timezone.now() - timedelta(days=1)
    )


def in_days(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


# --- who -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("operator", 403, "forbidden"),
        ("operator_b", 403, "forbidden"),
        ("asesor_internal", 403, "forbidden"),
        ("asesor_eksternal", 403, "forbidden"),
        ("pimpinan", 403, "forbidden"),
        ("outsider", 404, "not_found"),
    ],
)
def test_other_roles_are_refused_and_nothing_changes(world, persona, status, code):
    submitted(world, "1")
    api = Api.token(world.personas()[persona])
    for path, data in (
        (preview_path(world), body(world)),
        (apply_path(world), body(world, reason=REASON)),
    ):
        response = api.post(path, data)
        assert response.status_code == status
        assert response.json()["error"]["code"] == code
    assert statuses(world, "1") == [Status.SUBMITTED]
    assert not AuditEvent.objects.filter(action="answer.return").exists()


def test_an_anonymous_caller_is_asked_to_sign_in(world):
    assert Api.anonymous().post(preview_path(world), body(world)).status_code == 401


@pytest.mark.parametrize("persona", ["koordinator", "admin"])
def test_the_koordinator_and_the_admin_may_act(world, persona):
    submitted(world, "1")
    api = Api.token(world.personas()[persona])
    data = api.ok("post", apply_path(world), body(world, reason=REASON))
    assert [a["number"] for a in data["affected"]] == ["1"]


# --- preview and apply ---------------------------------------------------------------------


def test_the_preview_names_what_would_change_and_why_others_are_skipped_and_changes_nothing(
    world,
):
    submitted(world, "1")
    submitted(world, "2")
    api = english(Api.token(world.koordinator))
    data = api.ok("post", preview_path(world), body(world))
    one, two = world.answer("1"), world.answer("2")
    assert data["bulk_id"] is None and data["action"] == "return"
    assert (data["affected_count"], data["skipped_count"]) == (2, 3)
    assert [(a["number"], a["status"]) for a in data["affected"]] == [
        ("1", "submitted"),
        ("2", "submitted"),
    ]
    assert data["expected_versions"] == {str(one.pk): one.version, str(two.pk): two.version}
    assert {s["reason"] for s in data["skipped"]} == {
        "Only a submitted or verified answer can be returned."
    }
    assert data["unit"]["code"] == "A" and data["until"] is None
    assert statuses(world, "1", "2") == [Status.SUBMITTED, Status.SUBMITTED]
    assert not AuditEvent.objects.filter(action="answer.return").exists()
    assert not Comment.objects.exists()


def test_applying_changes_each_answer_with_one_audit_event_and_the_shared_reason(world):
    submitted(world, "1")
    submitted(world, "2")
    api = english(Api.token(world.koordinator))
    preview = api.ok("post", preview_path(world), body(world))
    data = api.ok(
        "post",
        apply_path(world),
        body(world, reason=REASON, expected_versions=preview["expected_versions"]),
    )
    assert data["bulk_id"] and data["affected_count"] == 2 and data["skipped_count"] == 3
    assert [(a["status"], a["version"]) for a in data["affected"]] == [
        ("returned", world.answer("1").version),
        ("returned", world.answer("2").version),
    ]
    assert {s["reason"] for s in data["skipped"]} == {
        "Only a submitted or verified answer can be returned."
    }
    events = AuditEvent.objects.filter(action="answer.return")
    assert sorted(events.values_list("answer_id", flat=True)) == sorted(
        [world.answer("1").pk, world.answer("2").pk]
    )
    assert {(e.reason, e.after["bulk"]) for e in events} == {(REASON, data["bulk_id"])}
    assert Comment.objects.filter(body=REASON).count() == 2
    trail = api.ok("get", f"/periods/{world.period.pk}/audit")["items"]
    assert sum(1 for e in trail if e["after"].get("bulk") == data["bulk_id"]) == 2


def test_reopening_an_aspect_and_a_selection(world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    api = Api.token(world.koordinator)
    data = api.ok("post", apply_path(world), body(world, "reopen", {"aspect": "A2"}, reason=REASON))
    assert [a["number"] for a in data["affected"]] == ["11", "12", "13", "14"]
    assert all(a["reopened"] and a["status"] == "returned" for a in data["affected"])
    chosen = {"answer_ids": [world.answer("1").pk, world.answer("20").pk]}
    data = api.ok("post", apply_path(world), body(world, "reopen", chosen, reason=REASON))
    assert [a["number"] for a in data["affected"]] == ["1", "20"]
    assert statuses(world, "2") == [Status.FINAL]


def test_an_answer_changed_since_the_preview_is_skipped_not_overwritten(world):
    submitted(world, "1")
    submitted(world, "2")
    api = english(Api.token(world.koordinator))
    preview = api.ok("post", preview_path(world), body(world))
    two = world.answer("2")
    services.answer_verify(
        actor=world.asesor_internal, answer_id=two.pk, expected_version=two.version
    )
    data = api.ok(
        "post",
        apply_path(world),
        body(world, reason=REASON, expected_versions=preview["expected_versions"]),
    )
    assert [a["number"] for a in data["affected"]] == ["1"]
    [changed] = [s for s in data["skipped"] if s["number"] == "2"]
    assert changed["reason"].startswith("Changed by") and changed["status"] == "verified"
    assert statuses(world, "2") == [Status.VERIFIED]


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "location"),
    [
        ({"reason": "   "}, "invalid_input", "reason"),
        ({"reason": ""}, "invalid_request", None),
        ({"action": "delete"}, "invalid_request", None),
        ({"scope": {"unit_id": 999_999}}, "invalid_input", "unit"),
        ({"scope": {"aspect": "Z9"}}, "invalid_input", "aspect"),
        ({"scope": {}}, "invalid_input", "scope"),
        ({"scope": {"unit_id": 1, "aspect": "A1"}}, "invalid_input", "scope"),
        ({"scope": {"answer_ids": [999_999]}}, "invalid_input", "answers"),
        ({"action": "extend"}, "invalid_input", "until"),
        ({"action": "extend", "until": "2024-01-01T00:00:00+07:00"}, "invalid_input", "until"),
        ({"action": "extend", "until": "2099-09-01T00:00:00"}, "invalid_request", None),
        ({"action": "extend", "scope": {"aspect": "A1"}, "until": "X"}, "invalid_request", None),
        ({"expected_versions": {"1": -1}}, "invalid_request", None),
    ],
)
def test_bad_input_answers_422_and_changes_nothing(world, change, code, location):
    submitted(world, "1")
    close_self_assessment_yesterday(world)
    api = Api.token(world.koordinator)
    data = {**body(world, reason=REASON), **change}
    # A preview takes no reason nor versions, and an extension's date only if given.
    previewed = not (
        {"reason", "expected_versions"} & set(change) or change == {"action": "extend"}
    )
    for path in (apply_path(world), preview_path(world)) if previewed else (apply_path(world),):
        response = api.post(path, data)
        assert response.status_code == 422, response.content
        error = response.json()["error"]
        assert error["code"] == code
        if location:
            assert error["details"][0]["location"] == location
    assert statuses(world, "1") == [Status.SUBMITTED]
    assert not DeadlineExtension.objects.exists()
    assert not AuditEvent.objects.filter(after__has_key="bulk").exists()


def test_a_unit_responsible_for_no_answer_is_refused(world):
    empty = Unit.objects.create(institution=world.institution, code="C", name="Dinas C")
    response = Api.token(world.koordinator).post(
        preview_path(world), body(world, scope={"unit_id": empty.pk})
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["location"] == "unit"


# --- an extension --------------------------------------------------------------------------


def test_an_extension_lets_the_units_operator_save_through_the_api_after_the_close(world):
    close_self_assessment_yesterday(world)
    operator = Api.token(world.operator)
    path = f"/answers/{world.answer('1').pk}"
    save = {"level": "3", "explanation": "Perwal 12/2024", "version": world.answer("1").version}
    refused = operator.put(path, save)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "deadline_passed"

    koordinator = Api.token(world.koordinator)
    until = in_days(10)
    preview = koordinator.ok("post", preview_path(world), body(world, "extend", until=until))
    assert preview["affected_count"] == 5 and preview["until"] is None
    data = koordinator.ok(
        "post", apply_path(world), body(world, "extend", until=until, reason="Banjir di kantor")
    )
    assert data["affected_count"] == 5 and data["unit"]["code"] == "A" and data["until"]
    events = AuditEvent.objects.filter(after__bulk=data["bulk_id"])
    assert events.filter(action="answer.extend_deadline").count() == 5
    assert events.filter(action="period.extend_deadline").count() == 1
    assert {e.reason for e in events} == {"Banjir di kantor"}

    assert operator.ok("put", path, save)["level"] == "3.00"
    assert world.answer("1").level == Decimal(3)
    other = world.answer("6")  # unit B's: not extended
    refused = Api.token(world.operator_b).put(
        f"/answers/{other.pk}", {**save, "version": other.version}
    )
    assert refused.status_code == 409
    again = koordinator.ok("post", preview_path(world), body(world, "extend", until=in_days(20)))
    assert again["until"] is not None  # the extension the unit has now


# --- queries -------------------------------------------------------------------------------


def grow(world) -> Unit:
    """A unit responsible for 30 submitted answers (unit A: 5, two of them submitted)."""
    big = Unit.objects.create(institution=world.institution, code="C", name="Dinas C")
    answers = list(world.period.answers.order_by("position"))[10:40]
    AnswerUnit.objects.bulk_create(AnswerUnit(answer=a, unit=big) for a in answers)
    for answer in [world.answer("1"), world.answer("2"), *answers]:
        submitted(world, answer.indicator)
    return big


# session, user; period + institution, memberships; the unit, the answers in scope, their
# units, the self-assessment window, the extensions
PREVIEW_QUERIES = 9
# session, user; a savepoint; period, memberships, the unit, the answers locked, their units,
# window, extensions; the update, the comments, the chain head (get, lock), the events, the
# head saved; released
APPLY_QUERIES = 17


@pytest.mark.parametrize("action", ["reopen", "return", "extend"])
def test_it_runs_the_same_queries_for_30_answers_as_for_5(world, django_assert_num_queries, action):
    big = grow(world)
    extra = {}
    if action == "extend":
        close_self_assessment_yesterday(world)
        extra = {"until": in_days(10)}
    api = Api.session(world.koordinator)
    previews = {}
    for unit in (world.unit_a, big):
        with django_assert_num_queries(PREVIEW_QUERIES):
            previews[unit.pk] = api.ok(
                "post", preview_path(world), body(world, action, {"unit_id": unit.pk}, **extra)
            )
    for unit, count in ((world.unit_a, 5 if action == "extend" else 2), (big, 30)):
        data = body(
            world,
            action,
            {"unit_id": unit.pk},
            reason=REASON,
            expected_versions=previews[unit.pk]["expected_versions"],
            **extra,
        )
        with django_assert_num_queries(APPLY_QUERIES):
            assert api.ok("post", apply_path(world), data)["affected_count"] == count


# --- the OpenAPI document ------------------------------------------------------------------


def test_the_operations_are_documented_with_schemas_and_examples(client):
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    preview = paths["/api/v1/periods/{period_id}/bulk-actions/preview"]["post"]
    apply = paths["/api/v1/periods/{period_id}/bulk-actions"]["post"]
    assert preview["operationId"] == "monev_evaluations_api_bulk_preview"
    assert apply["operationId"] == "monev_evaluations_api_bulk_apply"
    for operation in (preview, apply):
        assert operation["summary"] and operation["description"]
        assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
    schemas = document["components"]["schemas"]
    for name in ("BulkPreviewIn", "BulkApplyIn", "BulkScopeIn"):
        properties = schemas[name]["properties"]
        assert all(p.get("description") for p in properties.values()), name
        assert any("examples" in p for p in properties.values()), name
    assert schemas["BulkApplyIn"]["required"] == ["action", "scope", "reason"]
    assert "skipped" in schemas["BulkResultOut"]["properties"]
