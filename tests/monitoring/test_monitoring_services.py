"""Snapshots: taken on demand by the coordinator or admin, and at Triwulan checkpoints by the
system; each keeps every level at every stage and the engine's scores, with an audit event."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from monitoring_support import at, fill, milestone, save

from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify
from monev.core.engine import score_items
from monev.evaluations.period_instrument import instrument_of
from monev.lib.errors import Forbidden, InvalidInput, NotFound
from monev.monitoring import services
from monev.monitoring.models import Snapshot

pytestmark = pytest.mark.django_db


def test_it_keeps_every_level_and_the_engines_scores_at_each_stage(world):
    fill(world, "3")
    save(world, "1", "5")
    snapshot = services.snapshot_take(
        actor=world.koordinator, period_id=world.period.pk, label="Triwulan II"
    )
    assert snapshot.kind == Snapshot.Kind.ON_DEMAND
    assert snapshot.taken_by == world.koordinator
    assert snapshot.levels["1"] == {
        "self": "5.00",
        "verified": None,
        "provisional": None,
        "final": None,
    }
    assert len(snapshot.levels) == 47
    self_score = snapshot.scores["self"]
    values = {str(n): Decimal(5 if n == 1 else 3) for n in range(1, 48)}
    expected = score_items(instrument_of(world.period), values)
    assert self_score["index"] == str(expected.index.reported) != "3.00"
    assert self_score["given"] == self_score["total"] == 47
    assert set(self_score["aspects"]) == {f"A{n}" for n in range(1, 9)}
    assert set(self_score["domains"]) == {"D1", "D2", "D3", "D4"}
    assert snapshot.scores["verified"] is None


def test_it_records_an_audit_event_and_the_chain_still_verifies(world):
    fill(world, "2", range(1, 3))
    snapshot = services.snapshot_take(
        actor=world.admin, period_id=world.period.pk, label="Sebelum rapat"
    )
    event = AuditEvent.objects.get(action="snapshot.take")
    assert event.period_id == world.period.pk
    assert event.object_id == str(snapshot.pk)
    assert event.after["label"] == "Sebelum rapat"
    _checked, breaks = audit_verify()
    assert breaks == []


@pytest.mark.parametrize("persona", ["operator", "asesor_internal", "asesor_eksternal", "pimpinan"])
def test_it_lets_only_the_coordinator_and_admin_take_one(world, persona):
    with pytest.raises(Forbidden):
        services.snapshot_take(
            actor=world.personas()[persona], period_id=world.period.pk, label="X"
        )
    assert not Snapshot.objects.exists()


def test_it_hides_the_period_from_an_outsider(world):
    with pytest.raises(NotFound):
        services.snapshot_take(actor=world.outsider, period_id=world.period.pk, label="X")


@pytest.mark.parametrize("label", ["", "   ", "x" * 101])
def test_it_refuses_a_missing_or_too_long_label(world, label):
    with pytest.raises(InvalidInput):
        services.snapshot_take(actor=world.koordinator, period_id=world.period.pk, label=label)
    assert not Snapshot.objects.exists()


def test_it_takes_each_passed_checkpoint_once(world):
    fill(world, "3", range(1, 4))
    milestone(world, "triwulan_1", at(2025, 3, 31))
    milestone(world, "triwulan_2", at(2025, 6, 30))
    milestone(world, "triwulan_3", at(2099, 9, 30))
    now = timezone.now()
    due = list(services.checkpoints_due(now))
    assert [m.kind for m in due] == ["triwulan_1", "triwulan_2"]
    first = services.snapshot_checkpoint(
        period_id=world.period.pk, checkpoint="triwulan_1", now=now
    )
    assert first.label == "Triwulan I" and first.kind == "checkpoint" and first.taken_by is None
    again = services.snapshot_checkpoint(
        period_id=world.period.pk, checkpoint="triwulan_1", now=now
    )
    assert again is None
    assert [m.kind for m in services.checkpoints_due(now)] == ["triwulan_2"]


def test_it_scores_given_levels_for_a_reconstructed_checkpoint(world):
    levels = {str(n): {"self": "2.00"} for n in range(1, 48)}
    snapshot = services.snapshot_checkpoint(
        period_id=world.period.pk, checkpoint="triwulan_1", now=at(2025, 3, 31), levels=levels
    )
    assert Decimal(snapshot.scores["self"]["index"]) == Decimal("2.00")
