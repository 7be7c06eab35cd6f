"""The whole evaluation cycle through /api/v1/ with personal tokens, one persona per step:
the operator drafts and submits, the asesor internal returns then verifies, the koordinator
closes the self-assessment, the asesor eksternal judges, and the final index is computed."""

from __future__ import annotations

from decimal import Decimal

from api_support import Api
from monev.core.engine import score_items
from monev.evaluations.period_instrument import instrument_of


def by_number(rows: list[dict]) -> dict[str, dict]:
    return {row["number"]: row for row in rows}


def test_it_runs_the_whole_cycle_with_tokens(world):
    operator = Api.token(world.operator)
    internal = Api.token(world.asesor_internal)
    koordinator = Api.token(world.koordinator)
    external = Api.token(world.asesor_eksternal)

    # The operator finds the period and their unit's answers to do.
    periods = operator.ok("get", "/periods")
    assert [p["id"] for p in periods] == [world.period.pk]
    period = f"/periods/{world.period.pk}"
    todo = operator.ok("get", f"{period}/todo")
    assert sorted(by_number(todo["answers"]), key=int) == ["1", "2", "3", "4", "5"]
    answer_id = by_number(todo["answers"])["1"]["id"]
    answer = f"/answers/{answer_id}"

    # Draft and submit.
    detail = operator.ok("get", answer)
    assert detail["status"] == "draft" and len(detail["levels"]) == 5
    saved = operator.ok(
        "put", answer, {"level": "3", "explanation": "Perwal 12/2024", "version": detail["version"]}
    )
    assert (saved["level"], saved["status"]) == ("3.00", "draft")
    submitted = operator.ok("post", f"{answer}/submit", {"version": saved["version"]})
    assert submitted["status"] == "submitted"

    # The asesor internal returns it with a note.
    queue = internal.ok("get", f"{period}/review-queue")
    assert [row["id"] for row in queue["answers"]] == [answer_id]
    returned = internal.ok(
        "post",
        f"{answer}/return",
        {"version": submitted["version"], "note": "Lampirkan Perwal yang ditandatangani."},
    )
    assert returned["status"] == "returned"

    # The operator sees the note, revises and resubmits.
    detail = operator.ok("get", answer)
    assert detail["comments"][-1]["body"] == "Lampirkan Perwal yang ditandatangani."
    assert answer_id in [row["id"] for row in operator.ok("get", f"{period}/todo")["answers"]]
    saved = operator.ok(
        "put",
        answer,
        {
            "level": "4",
            "explanation": "Perwal 12/2024, ditandatangani",
            "version": detail["version"],
        },
    )
    submitted = operator.ok("post", f"{answer}/submit", {"version": saved["version"]})

    # Verified this time.
    verified = internal.ok("post", f"{answer}/verify", {"version": submitted["version"]})
    assert (verified["status"], verified["verified_level"]) == ("verified", "4.00")
    assert internal.ok("get", f"{period}/review-queue")["answers"] == []

    # The koordinator closes the self-assessment: every answer is final mandiri, locked.
    closed = koordinator.ok("post", f"{period}/close-self-assessment")
    assert closed == {"answers_locked": 47}
    locked = operator.put(
        answer, {"level": "5", "explanation": "x", "version": verified["version"] + 1}
    )
    assert locked.status_code == 409
    assert locked.json()["error"]["code"] == "deadline_passed"

    # The asesor eksternal: document review of everything, then the final level.
    queue = external.ok("get", f"{period}/review-queue")["answers"]
    assert len(queue) == 47 and {row["status"] for row in queue} == {"final_self"}
    for row in queue:
        external.ok(
            "put", f"/answers/{row['id']}/passes/document_review", {"level": "3", "version": 0}
        )
    # The institution objects to one provisional level; the interview settles it.
    response = koordinator.ok(
        "put", f"{answer}/response", {"response": "Perwal sudah ditetapkan.", "version": 1}
    )
    assert response["institution_response"] == "Perwal sudah ditetapkan."
    external.ok(
        "put", f"{answer}/passes/interview", {"level": "4", "notes": "Terbukti", "version": 0}
    )
    for row in queue:
        external.ok(
            "put", f"/answers/{row['id']}/passes/final", {"level": "4", "notes": "", "version": 0}
        )
    assert external.ok("get", f"{period}/review-queue")["answers"] == []

    # The overview: the final index is the engine's, computed from the final levels.
    overview = koordinator.ok("get", period)
    scores = {score["stage"]: score for score in overview["scores"]}
    instrument = instrument_of(world.period)
    expected = score_items(
        instrument, {item.number: Decimal(4) for item in instrument.scored_items}
    )
    assert scores["final"]["index"] == str(expected.index.reported) == "4.00"
    assert scores["final"]["predicate"] == expected.predicate.name
    assert (scores["final"]["given"], scores["final"]["complete"]) == (47, True)
    assert (scores["self"]["given"], scores["verified"]["given"]) == (1, 1)
    assert scores["provisional"]["given"] == 47
    row = by_number(overview["answers"])["1"]
    assert (row["level"], row["verified_level"]) == ("4.00", "4.00")
    assert (row["provisional_level"], row["final_level"]) == ("4.00", "4.00")
    detail = koordinator.ok("get", answer)
    assert [p["stage"] for p in detail["passes"]] == ["document_review", "interview", "final"]
    assert detail["passes"][0]["assessor"] == str(world.asesor_eksternal)
