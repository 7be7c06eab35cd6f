"""/api/v1/periods/{id}/crosswalk-suggestions: list (with the judgement statement), make,
accept, reject, accept all of an indicator; 409 on a stale answer version; refusals; a fixed
number of queries."""

from __future__ import annotations

import pytest
from transition_support import (
    more_old_evidence,
    new_period,
    transition_fixture,  # noqa: F401  (the `transition` fixture)
)

from api_support import Api
from monev.evidence.models import EvidenceLink
from monev.transition.models import CrosswalkSuggestion


def base(t) -> str:
    return f"/periods/{t.new.pk}/crosswalk-suggestions"


def suggestion(body, indicator, kind, **match):
    (group,) = [g for g in body["indicators"] if g["indicator"] == indicator]
    rows = [s for s in group["suggestions"] if s["kind"] == kind]
    for key, value in match.items():
        rows = [s for s in rows if s[key] == value]
    return group, rows[0]


def test_list_before_and_after_making_suggestions(transition):
    api = Api.session(transition.world.koordinator)
    empty = api.get(base(transition))
    assert empty.status_code == 200
    body = empty.json()
    assert body["crosswalk"]["status"] == "judgement"
    assert body["crosswalk"]["statement"].startswith("Penilaian penulis, bukan pemetaan resmi")
    assert body["source_period"]["id"] == transition.old.pk
    assert body["source_period"]["instrument_name"] == "SPBE 2020"
    assert body["provisional"] is True
    assert body["counts"] == {"pending": 0, "accepted": 0, "rejected": 0}
    made = api.post(base(transition))
    assert made.status_code == 201
    assert made.json()["created"] == 18 and made.json()["crosswalk"] == "spbe-2020_pemdi-2026"
    assert api.post(base(transition)).json() == {**made.json(), "created": 0}
    body = api.get(base(transition)).json()
    assert body["counts"]["pending"] == 18
    group, perwal = suggestion(body, "1", "evidence", evidence_title="Perwal 12/2024 tentang SPBE")
    assert group["counterparts"] == ["1", "2", "11", "12", "13"] and group["partly"] == ["10", "19"]
    assert group["note"].startswith("Kebijakan dan dokumen arsitektur")
    assert perwal["source_indicators"] == ["1", "13"] and perwal["partly"] is False
    assert perwal["source_levels"] == [
        {"indicator": "1", "level": 2},
        {"indicator": "13", "level": 3},
    ]
    _group, text = suggestion(body, "1", "answer", source_indicators=["13"])
    assert text["source_explanation"] == "Rencana dan anggaran SPBE terpadu dalam RKPD 2025."
    assert text["source_level"] == "4.00"


def test_accept_reject_and_accept_all(transition):
    api = Api.session(transition.world.koordinator)
    api.post(base(transition))
    body = api.get(base(transition)).json()
    group, perwal = suggestion(body, "1", "evidence", evidence_title="Perwal 12/2024 tentang SPBE")
    accepted = api.post(f"{base(transition)}/{perwal['id']}/accept", {"level": 2})
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted" and accepted.json()["level"] == 2
    assert accepted.json()["already_linked"] is True
    assert EvidenceLink.objects.get(answer_id=group["answer_id"]).level == 2
    _group, text = suggestion(body, "3", "answer")
    rejected = api.post(f"{base(transition)}/{text['id']}/reject", {"reason": "Sudah ditulis."})
    assert rejected.status_code == 200
    assert (rejected.json()["state"], rejected.json()["reason"]) == ("rejected", "Sudah ditulis.")
    again = api.post(f"{base(transition)}/{text['id']}/reject", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    group10 = next(g for g in body["indicators"] if g["indicator"] == "10")
    all_of = api.post(
        f"{base(transition)}/accept-all",
        {"indicator": "10", "expected_version": group10["answer_version"]},
    )
    assert all_of.status_code == 200
    after = next(g for g in all_of.json()["indicators"] if g["indicator"] == "10")
    assert {s["state"] for s in after["suggestions"]} == {"accepted"}
    assert after["answer_version"] == group10["answer_version"] + 1


def test_a_stale_answer_version_answers_409_with_the_current_answer(transition):
    api = Api.session(transition.world.koordinator)
    api.post(base(transition))
    body = api.get(base(transition)).json()
    group, text = suggestion(body, "3", "answer")
    answer = transition.new_answer("3")
    saved = api.put(
        f"/answers/{answer.pk}",
        {"version": answer.version, "level": None, "explanation": "Versi operator."},
    )
    assert saved.status_code == 200, saved.content
    response = api.post(
        f"{base(transition)}/{text['id']}/accept", {"expected_version": group["answer_version"]}
    )
    assert response.status_code == 409
    assert response.json()["error"]["current"]["explanation"] == "Versi operator."
    answer.refresh_from_db()
    assert answer.explanation == "Versi operator."
    missing = api.post(f"{base(transition)}/{text['id']}/accept", {})
    assert missing.status_code == 422
    level = api.post(
        f"{base(transition)}/{text['id']}/accept",
        {"expected_version": answer.version, "level": 3},
    )
    assert level.status_code == 422
    assert CrosswalkSuggestion.objects.get(pk=text["id"]).state == "pending"


def test_a_suggestion_is_only_reached_through_its_own_period(transition):
    api = Api.session(transition.world.koordinator)
    api.post(base(transition))
    row = CrosswalkSuggestion.objects.filter(period=transition.new).first()
    other = api.post(f"/periods/{transition.old.pk}/crosswalk-suggestions/{row.pk}/reject", {})
    assert other.status_code == 404


def test_nothing_to_carry_over_under_the_same_instrument(world):
    same = new_period(world, previous=world.period, instrument="spbe-2020")
    api = Api.session(world.koordinator)
    body = api.get(f"/periods/{same.pk}/crosswalk-suggestions").json()
    assert body["crosswalk"] is None and body["indicators"] == []
    made = api.post(f"/periods/{same.pk}/crosswalk-suggestions")
    assert made.status_code == 422


@pytest.mark.parametrize(
    ("persona", "status"),
    [("operator", 403), ("asesor_internal", 403), ("asesor_eksternal", 403), ("outsider", 404)],
)
def test_refusals(transition, persona, status):
    Api.session(transition.world.koordinator).post(base(transition))
    row = CrosswalkSuggestion.objects.filter(period=transition.new).first()
    api = Api.token(transition.world.personas()[persona])
    assert api.get(base(transition)).status_code == status
    assert api.post(base(transition)).status_code == status
    assert api.post(f"{base(transition)}/{row.pk}/accept", {"expected_version": 1}).status_code == (
        status
    )
    assert api.post(f"{base(transition)}/{row.pk}/reject", {}).status_code == status
    assert (
        api.post(f"{base(transition)}/accept-all", {"indicator": "1", "expected_version": 1})
    ).status_code == status
    assert Api.anonymous().get(base(transition)).status_code == 401
    row.refresh_from_db()
    assert row.state == "pending"


def test_the_list_reads_a_fixed_number_of_queries(transition, django_assert_num_queries):
    api = Api.token(transition.world.koordinator)
    api.post(base(transition))
    api.get(base(transition))
    with django_assert_num_queries(6):
        first = api.get(base(transition))
    more_old_evidence(transition, count=30)
    assert api.post(base(transition)).json()["created"] > 20
    with django_assert_num_queries(6):
        second = api.get(base(transition))
    assert first.status_code == second.status_code == 200
    assert len(second.json()["indicators"][0]["suggestions"]) > len(
        first.json()["indicators"][0]["suggestions"]
    )
