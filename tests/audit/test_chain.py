"""The audit trail is a hash chain: verification passes, and fails after any tampering."""

from __future__ import annotations

from audit_support import make_history

from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify


def test_it_verifies_an_untouched_chain(world):
    make_history(world)
    checked, breaks = audit_verify()
    assert checked >= 4 and breaks == []


def test_it_detects_an_edited_event(world):
    make_history(world)
    event = AuditEvent.objects.filter(action="answer.save").first()
    AuditEvent.objects.filter(pk=event.pk).update(after={"level": "5"})
    _, breaks = audit_verify()
    assert [b.problem for b in breaks] == ["content changed after it was written"]


def test_it_detects_a_deleted_event(world):
    make_history(world)
    AuditEvent.objects.filter(action="answer.save").order_by("seq")[1].delete()
    _, breaks = audit_verify()
    assert breaks and "missing" in breaks[0].problem


def test_it_detects_the_latest_event_deleted(world):
    make_history(world)
    AuditEvent.objects.filter(chain=f"institution:{world.institution.pk}").order_by("-seq")[
        0
    ].delete()
    _, breaks = audit_verify()
    assert breaks and "latest events missing" in breaks[0].problem
