"""Periods through /api/v1/: create with milestones, the overview (operators see their
units' answers, the scores cover everything), target, milestones, closing, the assignment
matrix with its fingerprint, and the paginated audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from api_support import Api
from monev.audit.models import AuditEvent
from monev.evaluations import services
from monev.evaluations.models import Answer, Milestone, Period


def create_body(world, **changes) -> dict:
    return {
        "institution_id": world.institution.pk,
        "year": 2026,
        "kind": "evaluasi",
        "instrument": "spbe-2020",
        **changes,
    }


def test_it_creates_a_period_with_milestones_given_with_their_offset(world):
    body = create_body(
        world,
        target="4.62",
        milestones={
            "self_assessment_open": "2026-03-01T08:00:00+07:00",
            "evidence_deadline": "2026-08-18T23:59:00+07:00",
        },
    )
    data = Api.token(world.koordinator).ok("post", "/periods", body, status=201)
    assert (data["year"], data["kind"], data["instrument"]) == (2026, "evaluasi", "spbe-2020@1")
    assert data["target"] == "4.62"
    assert data["institution"]["code"] == "kota-contoh"
    period = Period.objects.get(pk=data["id"])
    assert period.answers.count() == 47
    deadline = period.milestones.get(kind="evidence_deadline").due_at
    assert deadline == datetime(2026, 8, 18, 16, 59, tzinfo=UTC)
    assert AuditEvent.objects.filter(action="period.create", period_id=period.pk).exists()


def test_it_refuses_a_milestone_without_a_utc_offset(world):
    body = create_body(world, milestones={"evidence_deadline": "2026-08-18T23:59:00"})
    response = Api.session(world.koordinator).post("/periods", body)
    assert response.status_code == 422
    assert "evidence_deadline" in response.json()["error"]["details"][0]["location"]
    assert not Period.objects.filter(year=2026).exists()


def test_it_refuses_an_unknown_kind_instrument_or_a_second_period_of_a_year(world):
    api = Api.session(world.koordinator)
    assert api.post("/periods", create_body(world, kind="tahunan")).status_code == 422
    unknown = api.post("/periods", create_body(world, instrument="spbe-1999"))
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "invalid_input")
    again = api.post("/periods", create_body(world, year=2025, kind="pemantauan"))
    assert (again.status_code, again.json()["error"]["code"]) == (409, "conflict")


def test_it_carries_a_previous_period_over(world):
    services.answer_save(
        actor=world.koordinator,
        answer_id=world.answer("1").pk,
        expected_version=1,
        level=Decimal(3),
        explanation="Perwal",
    )
    body = create_body(world, carry_over_from=world.period.pk)
    data = Api.session(world.koordinator).ok("post", "/periods", body, status=201)
    carried = Answer.objects.get(period_id=data["id"], indicator="1")
    assert (carried.level, carried.explanation) == (Decimal(3), "Perwal")
    assert data["previous_id"] == world.period.pk


def test_it_lists_only_the_callers_institutions_periods(world):
    assert len(Api.session(world.pimpinan).ok("get", "/periods")) == 1
    assert Api.session(world.outsider).ok("get", "/periods") == []


def test_it_gives_the_koordinator_the_whole_overview(world):
    data = Api.session(world.koordinator).ok("get", f"/periods/{world.period.pk}")
    assert len(data["answers"]) == 47
    assert data["instrument"]["reference"] == "spbe-2020@1"
    assert data["status_counts"] == {
        "draft": 47,
        "submitted": 0,
        "returned": 0,
        "verified": 0,
        "final_self": 0,
    }
    assert [s["stage"] for s in data["scores"]] == ["self", "verified", "provisional", "final"]
    self_assessed = {k: v for k, v in data["scores"][0].items() if k != "label"}
    assert self_assessed == {
        "stage": "self",
        "given": 0,
        "total": 47,
        "complete": False,
        "index": None,
        "index_exact": None,
        "predicate": None,
        "result": None,
    }
    unassigned = next(a for a in data["answers"] if a["number"] == "20")
    assert [f["code"] for f in unassigned["flags"]] == ["no_unit"]
    assert {u["code"] for u in data["units"]} == {"A", "B"}
    assert "manage_period" in data["my_capabilities"]
    assert [m["kind"] for m in data["milestones"]] == [
        "self_assessment_open",
        "self_assessment_close",
    ]


def test_it_shows_an_operator_their_units_answers_and_the_whole_periods_scores(world):
    services.answer_save(
        actor=world.operator_b,
        answer_id=world.answer("6").pk,
        expected_version=1,
        level=Decimal(5),
        explanation="Unit B",
    )
    data = Api.session(world.operator).ok("get", f"/periods/{world.period.pk}")
    assert [a["number"] for a in data["answers"]] == ["1", "2", "3", "4", "5"]
    assert data["status_counts"]["draft"] == 5
    assert data["scores"][0]["given"] == 1  # unit B's level counts in the index
    assert data["my_roles"] == ["operator"]


def test_it_adds_the_whole_scoring_result_on_request(world):
    services.answer_save(
        actor=world.koordinator,
        answer_id=world.answer("1").pk,
        expected_version=1,
        level=Decimal(5),
        explanation="Perwal",
    )
    api = Api.session(world.koordinator)
    data = api.ok("get", f"/periods/{world.period.pk}?full=true")
    result = data["scores"][0]["result"]
    assert result["index_exact"] == data["scores"][0]["index_exact"]
    assert result["filled_with_minimum"] and len(result["indicators"]) == 47
    assert api.ok("get", f"/periods/{world.period.pk}")["scores"][0]["result"] is None


def test_it_sets_and_clears_the_target(world):
    api = Api.session(world.koordinator)
    path = f"/periods/{world.period.pk}"
    assert api.ok("patch", path, {"target": "4.62"})["target"] == "4.62"
    assert api.patch(path, {"target": "6"}).status_code == 422
    assert api.ok("patch", path, {"target": None})["target"] is None


def test_it_sets_and_deletes_milestones(world):
    api = Api.session(world.koordinator)
    path = f"/periods/{world.period.pk}/milestones"
    when = "2099-08-18T23:59:00+07:00"
    first = api.ok("put", path, {"kind": "evidence_deadline", "due_at": when})
    again = api.ok("put", path, {"kind": "evidence_deadline", "due_at": "2099-08-19T10:00:00Z"})
    assert first["id"] == again["id"]  # one evidence deadline per period: replaced
    session_1 = api.ok("put", path, {"kind": "mentoring", "due_at": when, "title": "Sesi 1"})
    session_2 = api.ok("put", path, {"kind": "mentoring", "due_at": when, "title": "Sesi 2"})
    assert session_1["id"] != session_2["id"]  # mentoring sessions add up
    assert api.delete(f"{path}/{session_1['id']}").status_code == 204
    assert not Milestone.objects.filter(pk=session_1["id"]).exists()
    assert api.put(path, {"kind": "rapat", "due_at": when}).status_code == 422


def test_it_refuses_to_delete_another_periods_milestone_through_this_one(world):
    other = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="spbe-2020",
        milestones={"evidence_deadline": datetime(2026, 8, 18, tzinfo=UTC)},
    )
    milestone = other.milestones.get()
    response = Api.session(world.koordinator).delete(
        f"/periods/{world.period.pk}/milestones/{milestone.pk}"
    )
    assert response.status_code == 404
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_it_closes_the_self_assessment(world):
    api = Api.session(world.koordinator)
    data = api.ok("post", f"/periods/{world.period.pk}/close-self-assessment")
    assert data == {"answers_locked": 47}
    assert set(world.period.answers.values_list("status", flat=True)) == {"final_self"}
    assert api.ok("post", f"/periods/{world.period.pk}/close-self-assessment") == {
        "answers_locked": 0
    }


def test_it_lists_what_the_operators_unit_owes_with_the_deadlines(world):
    data = Api.session(world.operator).ok("get", f"/periods/{world.period.pk}/todo")
    assert [a["number"] for a in data["answers"]] == ["1", "2", "3", "4", "5"]
    assert [m["kind"] for m in data["milestones"]] == ["self_assessment_close"]
    assert data["milestones"][0]["days_left"] > 0


def test_it_saves_the_assignment_matrix_against_its_fingerprint(world):
    api = Api.session(world.koordinator)
    path = f"/periods/{world.period.pk}/assignments"
    matrix = api.ok("get", path)
    assert len(matrix["answers"]) == 47
    answer_20 = world.answer("20").pk
    assert matrix["assignments"][str(answer_20)] == []
    body = {
        "fingerprint": matrix["fingerprint"],
        "assignments": {answer_20: [world.unit_a.pk, world.unit_b.pk]},
    }
    saved = api.ok("put", path, body)
    assert saved["changed"] == 1
    assert saved["assignments"][str(answer_20)] == sorted([world.unit_a.pk, world.unit_b.pk])
    assert saved["fingerprint"] != matrix["fingerprint"]
    # The same request again: its fingerprint is now stale.
    stale = api.put(path, {**body, "assignments": {answer_20: []}})
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "conflict")
    assert world.answer("20").units.count() == 2


def test_it_keeps_the_matrix_for_whoever_assigns_units(world):
    for user in (world.operator, world.pimpinan, world.admin):
        response = Api.session(user).get(f"/periods/{world.period.pk}/assignments")
        assert (response.status_code, response.json()["error"]["code"]) == (403, "forbidden")


def test_it_pages_the_audit_trail_newest_first(world):
    api = Api.session(world.koordinator)
    for level in ("2", "3", "4"):
        answer = world.answer("1")
        api.ok(
            "put",
            f"/answers/{answer.pk}",
            {"level": level, "explanation": "Perwal", "version": answer.version},
        )
    path = f"/periods/{world.period.pk}/audit"
    page = api.ok("get", f"{path}?limit=2")
    assert page["count"] == 4
    assert [e["action"] for e in page["items"]] == ["answer.save", "answer.save"]
    assert page["items"][0]["after"]["level"] == "4"
    assert page["items"][0]["actor"].startswith("koordinator")
    rest = api.ok("get", f"{path}?limit=2&offset=2")
    assert [e["action"] for e in rest["items"]] == ["answer.save", "period.create"]
