"""Every persona (and an anonymous caller) against every evaluation-cycle API endpoint.

Each case prepares the world so that a permitted call succeeds, then checks the status each
persona gets: 401 without credentials, 404 where the object's existence would leak (another
institution, another unit's answer), 403 where the caller may see it but not do it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from api_support import Api
from monev.accounts import services as account_services
from monev.evaluations import selectors, services
from monev.evaluations.models import Milestone

PERSONAS = (
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
    "outsider",
    "anonymous",
)
MEMBERS = PERSONAS[:7]


def expect(default: int, outsider: int = 404, **statuses: int) -> dict[str, int]:
    """`default` for every member of the institution unless named; the outsider and an
    anonymous caller apart."""
    return {**dict.fromkeys(MEMBERS, default), **statuses, "outsider": outsider, "anonymous": 401}


# --- how each case prepares the world ------------------------------------------------------


def nothing(world) -> dict[str, Any]:
    return {}


def answer_1(world) -> dict[str, Any]:
    answer = world.answer("1")
    return {"answer": answer.pk, "version": answer.version}


def saved(world) -> dict[str, Any]:
    services.answer_save(
        actor=world.koordinator,
        answer_id=world.answer("1").pk,
        expected_version=world.answer("1").version,
        level=Decimal(3),
        explanation="Perwal 12/2024",
    )
    return answer_1(world)


def submitted(world) -> dict[str, Any]:
    context = saved(world)
    services.answer_submit(
        actor=world.koordinator, answer_id=context["answer"], expected_version=context["version"]
    )
    return answer_1(world)


def closed(world) -> dict[str, Any]:
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    return answer_1(world)


def documented(world) -> dict[str, Any]:
    context = closed(world)
    services.assessor_pass_save(
        actor=world.asesor_eksternal,
        answer_id=context["answer"],
        stage="document_review",
        level=Decimal(3),
        notes="",
        expected_version=0,
    )
    return context


def pemdi_closed(world) -> dict[str, Any]:
    """A pemdi-2026 period closed for assessment: indicator 2 (unit A) has items."""
    from items_support import build_pemdi

    answer = build_pemdi(world).answer("2")
    return {"answer": answer.pk, "version": answer.version}


def a_milestone(world) -> dict[str, Any]:
    milestone = Milestone.objects.get(period=world.period, kind="self_assessment_open")
    return {"milestone": milestone.pk}


def fingerprint(world) -> dict[str, Any]:
    matrix = selectors.assignment_matrix(world.period, selectors.Access(()))
    return {**answer_1(world), "fingerprint": matrix.fingerprint}


def a_token(world) -> dict[str, Any]:
    token, _secret = account_services.token_create(actor=world.koordinator, name="skrip")
    return {"token": token.pk}


# --- the cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # formatted with period, answer, milestone, token
    expected: dict[str, int]
    setup: Any = nothing
    body: Any = None  # a dict, or a function of (world, context)

    def __str__(self) -> str:
        return self.name


MANAGERS = {"koordinator": 200, "admin": 200}
ANSWER_EDITORS = {"koordinator": 200, "operator": 200, "operator_b": 404}
VERIFIER = {"asesor_internal": 200, "operator_b": 404}
KOORDINATOR_ON_ANSWER = {"koordinator": 200, "operator_b": 404}
WHEN = datetime(2025, 8, 18, 16, 59, tzinfo=UTC)

CASES = [
    Case("list periods", "get", "/periods", expect(200, outsider=200)),
    Case(
        "create period",
        "post",
        "/periods",
        expect(403, koordinator=201, admin=201),
        body=lambda w, c: {
            "institution_id": w.institution.pk,
            "year": 2026,
            "kind": "evaluasi",
            "instrument": "spbe-2020",
        },
    ),
    Case("period overview", "get", "/periods/{period}", expect(200)),
    Case("set target", "patch", "/periods/{period}", expect(403, **MANAGERS), body={"target": "4"}),
    Case(
        "set milestone",
        "put",
        "/periods/{period}/milestones",
        expect(403, **MANAGERS),
        body={"kind": "evidence_deadline", "due_at": WHEN.isoformat()},
    ),
    Case(
        "delete milestone",
        "delete",
        "/periods/{period}/milestones/{milestone}",
        expect(403, koordinator=204, admin=204),
        setup=a_milestone,
    ),
    Case(
        "close self-assessment",
        "post",
        "/periods/{period}/close-self-assessment",
        expect(403, **MANAGERS),
    ),
    Case("to-do list", "get", "/periods/{period}/todo", expect(200)),
    Case("review queue", "get", "/periods/{period}/review-queue", expect(200)),
    Case("assignments", "get", "/periods/{period}/assignments", expect(403, koordinator=200)),
    Case(
        "assign in bulk",
        "put",
        "/periods/{period}/assignments",
        expect(403, koordinator=200),
        setup=fingerprint,
        body=lambda w, c: {
            "fingerprint": c["fingerprint"],
            "assignments": {c["answer"]: [w.unit_a.pk, w.unit_b.pk]},
        },
    ),
    Case(
        "audit trail",
        "get",
        "/periods/{period}/audit",
        expect(403, koordinator=200, asesor_internal=200, admin=200),
    ),
    Case(
        "preview a bulk action",
        "post",
        "/periods/{period}/bulk-actions/preview",
        expect(403, **MANAGERS),
        setup=submitted,
        body=lambda w, c: {"action": "return", "scope": {"unit_id": w.unit_a.pk}},
    ),
    Case(
        "bulk action",
        "post",
        "/periods/{period}/bulk-actions",
        expect(403, **MANAGERS),
        setup=submitted,
        body=lambda w, c: {
            "action": "return",
            "scope": {"unit_id": w.unit_a.pk},
            "reason": "Kurang bukti",
        },
    ),
    Case("answer detail", "get", "/answers/{answer}", expect(200, operator_b=404), setup=answer_1),
    Case(
        "save answer",
        "put",
        "/answers/{answer}",
        expect(403, **ANSWER_EDITORS),
        setup=answer_1,
        body=lambda w, c: {"level": "2", "explanation": "Draf", "version": c["version"]},
    ),
    Case(
        "submit",
        "post",
        "/answers/{answer}/submit",
        expect(403, **ANSWER_EDITORS),
        setup=saved,
        body=lambda w, c: {"version": c["version"]},
    ),
    Case(
        "verify",
        "post",
        "/answers/{answer}/verify",
        expect(403, **VERIFIER),
        setup=submitted,
        body=lambda w, c: {"version": c["version"]},
    ),
    Case(
        "return",
        "post",
        "/answers/{answer}/return",
        expect(403, **VERIFIER),
        setup=submitted,
        body=lambda w, c: {"version": c["version"], "note": "Kurang bukti"},
    ),
    Case(
        "reopen",
        "post",
        "/answers/{answer}/reopen",
        expect(403, **KOORDINATOR_ON_ANSWER),
        setup=closed,
        body=lambda w, c: {"version": c["version"], "reason": "Salah ketik"},
    ),
    Case(
        "set units",
        "put",
        "/answers/{answer}/units",
        expect(403, **KOORDINATOR_ON_ANSWER),
        setup=answer_1,
        body=lambda w, c: {"unit_ids": [w.unit_a.pk, w.unit_b.pk]},
    ),
    Case(
        "comment",
        "post",
        "/answers/{answer}/comments",
        expect(403, koordinator=201, operator=201, asesor_internal=201, asesor_eksternal=201)
        | {"operator_b": 404},
        setup=answer_1,
        body={"body": "Mohon dicek"},
    ),
    Case(
        "assessor pass",
        "put",
        "/answers/{answer}/passes/document_review",
        expect(403, asesor_eksternal=200, operator_b=404),
        setup=closed,
        body={"level": "3", "notes": "", "version": 0},
    ),
    Case(
        "institution response",
        "put",
        "/answers/{answer}/response",
        expect(403, **KOORDINATOR_ON_ANSWER),
        setup=documented,
        body={"response": "Keberatan: Perwal sudah ada.", "version": 1},
    ),
    Case(
        "item sheet",
        "get",
        "/answers/{answer}/items",
        expect(200, operator_b=404),
        setup=pemdi_closed,
    ),
    Case(
        "judge items",
        "put",
        "/answers/{answer}/items?stage=document_review",
        expect(403, asesor_eksternal=200, operator_b=404),
        setup=pemdi_closed,
        body={"version": 0, "items": [{"level": 1, "position": 0, "status": "accepted"}]},
    ),
    Case("list tokens", "get", "/tokens", expect(200, outsider=200)),
    Case("create token", "post", "/tokens", expect(201, outsider=201), body={"name": "skrip"}),
    Case(
        "revoke token",
        "delete",
        "/tokens/{token}",
        expect(404, koordinator=200),
        setup=a_token,
    ),
    Case("me", "get", "/me", expect(200, outsider=200)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_it_answers_each_persona_as_the_permission_table_says(world, case, persona):
    context = case.setup(world)
    path = case.path.format(period=world.period.pk, **context)
    body = case.body(world, context) if callable(case.body) else case.body
    api = Api.anonymous() if persona == "anonymous" else Api.session(getattr(world, persona))
    response = api.get(path) if case.method == "get" else api.call(case.method, path, body)
    assert response.status_code == case.expected[persona], response.content
    if response.status_code >= 400:
        assert set(response.json()["error"]) >= {"code", "message", "details"}


def test_it_covers_every_endpoint_of_the_cycle():
    from monev.api import api

    paths = {
        path.removeprefix("/api/v1")
        for path, operations in api.get_openapi_schema()["paths"].items()
        if not path.startswith("/api/v1/instruments")
        # evidence endpoints: tests/evidence/test_evidence_permissions.py
        and "evidence" not in next(iter(operations.values()))["tags"]
        # planning endpoints: tests/planning/test_api_plan.py, test_views_what_if.py
        and "planning" not in next(iter(operations.values()))["tags"]
        # monitoring endpoints: tests/monitoring/test_monitoring_api.py
        and "monitoring" not in next(iter(operations.values()))["tags"]
        # import endpoints: tests/imports/test_import_api.py
        and "imports" not in next(iter(operations.values()))["tags"]
        # external values: tests/external/test_external_api_and_pages.py
        and "external values" not in next(iter(operations.values()))["tags"]
        # assessor assignments and queue: tests/assignments/test_assignment_api.py
        and "assignments" not in next(iter(operations.values()))["tags"]
        # export and PDF endpoints: tests/reports/test_reports_api.py, test_pdf_views.py
        and "reports" not in next(iter(operations.values()))["tags"]
        # crosswalk suggestions: tests/transition/test_transition_api.py
        and "transition" not in next(iter(operations.values()))["tags"]
        # the round pages' figures: tests/benchmarking/
        and "evaluation" not in next(iter(operations.values()))["tags"]
    }
    covered = {
        case.path.replace("{period}", "{period_id}")
        .replace("{answer}", "{answer_id}")
        .replace("{milestone}", "{milestone_id}")
        .replace("{token}", "{token_id}")
        .replace("/passes/document_review", "/passes/{stage}")
        .replace("/items?stage=document_review", "/items")
        for case in CASES
    }
    assert paths == covered
