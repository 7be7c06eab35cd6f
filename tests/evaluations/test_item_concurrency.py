"""Two external assessors judge the items of the same answer at the same stage at the same
moment, from the same version: one wins, the other gets the conflict with the winner's pass,
and the loser's judgements are not stored (PostgreSQL row locks; SQLite IMMEDIATE)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from items_support import A, R, build_pemdi, decide
from test_concurrency import _skip_reason, at_once

from monev.assignments.models import AssessorAssignment
from monev.evaluations import services
from monev.evaluations.models import AssessorPass, ItemJudgement
from monev.evaluations.services import items as item_services
from monev.institutions.models import Role
from monev.lib.errors import Conflict
from people_support import grant, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or ""),
]

HOLD_SECONDS = 0.3


@pytest.fixture
def slow_item_saves(monkeypatch):
    original = item_services.answer_for

    def slowly(*args, **kwargs):
        target = original(*args, **kwargs)
        time.sleep(HOLD_SECONDS)
        return target

    monkeypatch.setattr(item_services, "answer_for", slowly)


def test_one_of_two_simultaneous_item_saves_wins(world, slow_item_saves):
    pemdi = build_pemdi(world)
    second = make_user("asesor_kedua")
    grant(second, world.institution, Role.ASESOR_EKSTERNAL)
    AssessorAssignment.objects.create(period=pemdi.period, assessor=second)
    answer = pemdi.answer("2")

    def save(actor, decisions):
        return lambda: services.items_judge(
            actor=actor,
            answer_id=answer.pk,
            stage="document_review",
            decisions=decisions,
            expected_version=0,
        )

    results = at_once(
        save(world.asesor_eksternal, [decide(1, 0, A), decide(1, 1, A)]),
        save(second, [decide(1, 0, R), decide(1, 1, R)]),
    )
    winners = [r for r in results if isinstance(r, AssessorPass)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(conflicts) == 1, results
    winner = winners[0]
    assert conflicts[0].extra["current"]["version"] == 1
    stored = AssessorPass.objects.get(answer=answer, stage="document_review")
    assert stored.version == 1 and stored.computed_level == winner.computed_level
    statuses = set(ItemJudgement.objects.filter(answer=answer).values_list("status", flat=True))
    assert statuses == ({"accepted"} if winner.computed_level == Decimal("1.50") else {"revision"})
