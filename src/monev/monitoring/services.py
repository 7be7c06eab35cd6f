"""Writes of the monitoring app: snapshots. Each checks permissions and records an audit event
in the same transaction."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.evaluations.models import Milestone, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.selectors import period_for_user
from monev.evaluations.stages import ScoreStage
from monev.institutions.access import require
from monev.institutions.clock import now_for
from monev.institutions.permissions import Capability
from monev.lib.errors import InvalidInput
from monev.monitoring.models import Snapshot
from monev.monitoring.selectors.scores import period_state, scores_of_levels

CHECKPOINTS = {
    Milestone.Kind.TRIWULAN_1: "Triwulan I",
    Milestone.Kind.TRIWULAN_2: "Triwulan II",
    Milestone.Kind.TRIWULAN_3: "Triwulan III",
    Milestone.Kind.TRIWULAN_4: "Triwulan IV",
}
LABEL_MAX = 100


def _write(
    period: Period,
    *,
    actor,
    label: str,
    kind: str,
    checkpoint: str,
    now: datetime,
    levels: dict | None = None,
):
    if levels is None:
        levels, scores = period_state(period)
    else:
        scores = scores_of_levels(instrument_of(period), levels)
    snapshot = Snapshot.objects.create(
        period=period,
        label=label,
        kind=kind,
        checkpoint=checkpoint,
        taken_at=now,
        taken_by=actor if actor is not None and actor.is_authenticated else None,
        levels=levels,
        scores=scores,
    )
    self_score = scores.get(ScoreStage.SELF)
    audit_record(
        actor=actor,
        action="snapshot.take",
        obj=snapshot,
        institution_id=period.institution_id,
        period_id=period.pk,
        after={
            "label": label,
            "kind": kind,
            "checkpoint": checkpoint,
            "taken_at": now,
            "self_index": self_score["index"] if self_score else None,
        },
    )
    return snapshot


@transaction.atomic
def snapshot_take(*, actor, period_id: int, label: str, now: datetime | None = None) -> Snapshot:
    """An on-demand snapshot of the period as it stands (koordinator or admin)."""
    period, access = period_for_user(actor, period_id)
    require(access, Capability.MANAGE_PERIOD)
    label = (label or "").strip()
    if not label:
        raise InvalidInput(
            _("Give the snapshot a label, e.g. Triwulan II."),
            details=[{"location": "label", "message": str(_("This field is required."))}],
        )
    if len(label) > LABEL_MAX:
        raise InvalidInput(
            _("The label is too long (at most %(max)d characters).") % {"max": LABEL_MAX},
            details=[{"location": "label", "message": str(_("Too long."))}],
        )
    period = Period.objects.select_for_update().get(pk=period.pk)
    return _write(
        period,
        actor=actor,
        label=label,
        kind=Snapshot.Kind.ON_DEMAND,
        checkpoint="",
        now=now or now_for(period.institution),
    )


def checkpoints_due(now: datetime):
    """Triwulan milestones that have passed without a checkpoint snapshot of their period."""
    taken = Snapshot.objects.filter(period_id=OuterRef("period_id"), checkpoint=OuterRef("kind"))
    return (
        Milestone.objects.filter(kind__in=list(CHECKPOINTS), due_at__lte=now)
        .exclude(Exists(taken))
        .select_related("period__institution")
        .order_by("period_id", "due_at")
    )


def snapshot_checkpoint(
    *, period_id: int, checkpoint: str, now: datetime, levels: dict | None = None
) -> Snapshot | None:
    """The checkpoint snapshot of one period (by the system, for cron); None if it exists
    already (two overlapping runs take it once: the period is locked and checked again).
    `levels` (snapshot-style) replaces the period's current levels: for the demo, which
    reconstructs a checkpoint it did not live through."""
    with transaction.atomic():
        period = Period.objects.select_for_update().filter(pk=period_id).first()
        if period is None or period.snapshots.filter(checkpoint=checkpoint).exists():
            return None
        return _write(
            period,
            actor=None,
            label=CHECKPOINTS[checkpoint],
            kind=Snapshot.Kind.CHECKPOINT,
            checkpoint=checkpoint,
            now=now,
            levels=levels,
        )
