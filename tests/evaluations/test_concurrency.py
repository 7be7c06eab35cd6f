"""No lost updates under real concurrency: two threads, each with its own database connection
and transaction, save the same answer from the same version at the same moment.

Runs on PostgreSQL (row locks: SELECT ... FOR UPDATE) and on SQLite (BEGIN IMMEDIATE: one writer
at a time). Each save is slowed down while it holds its lock, so the second writer really waits
on the first instead of running after it by luck.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify
from monev.evaluations import services
from monev.evaluations.models import Answer
from monev.evaluations.services import answers as answer_services
from monev.lib.errors import Conflict


def _skip_reason() -> str | None:
    if connection.vendor == "postgresql":
        return None
    if connection.vendor == "sqlite":
        if connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            return "SQLite without IMMEDIATE transactions cannot serialise concurrent writers"
        name = str(connection.settings_dict.get("TEST", {}).get("NAME") or "")
        if not name or ":memory:" in name or "mode=memory" in name:
            return "an in-memory SQLite database is not shared between threads"
        return None
    return f"concurrency is tested on PostgreSQL and SQLite, not {connection.vendor}"


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or ""),
]

HOLD_SECONDS = 0.3


@pytest.fixture
def slow_saves(monkeypatch):
    """Each save sleeps just after it has fetched (and locked) the answer, inside its
    transaction: a writer that is not held back by the lock would overlap with the other."""
    original = answer_services.answer_for

    def slowly(*args, **kwargs):
        target = original(*args, **kwargs)
        time.sleep(HOLD_SECONDS)
        return target

    monkeypatch.setattr(answer_services, "answer_for", slowly)


def at_once(*calls):
    """Run each call in its own thread (own connection), released together by a barrier;
    the result or the exception of each, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    return results


def save(actor, answer, text: str, level: str):
    return lambda: services.answer_save(
        actor=actor,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level),
        explanation=text,
    )


def test_it_lets_exactly_one_of_two_simultaneous_saves_win(world, slow_saves):
    answer = world.answer("1")
    texts = {"operator": "Perwal Arsitektur SPBE ditetapkan.", "koordinator": "Masih draf."}
    started = time.monotonic()
    results = at_once(
        save(world.operator, answer, texts["operator"], "3"),
        save(world.koordinator, answer, texts["koordinator"], "1"),
    )
    # The second writer waited for the first to commit before it could read the answer.
    assert time.monotonic() - started >= 2 * HOLD_SECONDS

    winners = [r for r in results if isinstance(r, Answer)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(conflicts) == 1, results
    winner = winners[0]
    current = conflicts[0].extra["current"]
    # The loser is shown the winner's state ...
    assert current["version"] == answer.version + 1
    assert current["explanation"] == winner.explanation
    assert Decimal(current["level"]) == winner.level
    # ... and the winner's text is what is stored, written once and completely.
    stored = Answer.objects.get(pk=answer.pk)
    assert stored.version == answer.version + 1
    assert (stored.explanation, stored.level) == (winner.explanation, winner.level)
    assert stored.updated_by_id == winner.updated_by_id
    loser_text = next(t for t in texts.values() if t != winner.explanation)
    events = AuditEvent.objects.filter(answer_id=answer.pk, action="answer.save")
    assert [e.after["explanation"] for e in events] == [winner.explanation]
    assert not AuditEvent.objects.filter(after__explanation=loser_text).exists()
    assert audit_verify()[1] == []


def test_it_keeps_the_audit_chain_whole_when_two_answers_are_saved_at_once(world, slow_saves):
    one, two = world.answer("1"), world.answer("6")
    results = at_once(
        save(world.operator, one, "Unit A menulis.", "2"),
        save(world.operator_b, two, "Unit B menulis.", "3"),
    )
    assert all(isinstance(r, Answer) for r in results), results
    chain = f"institution:{world.institution.pk}"
    seqs = list(
        AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))
    assert audit_verify()[1] == []
