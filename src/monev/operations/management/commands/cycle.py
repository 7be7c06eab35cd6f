"""`monev cycle close-due`: at the self-assessment deadline, lock the answers as final mandiri.
`monev cycle snapshot-due`: at each Triwulan checkpoint, snapshot the period's levels and scores.

Meant for cron (e.g. every 15 minutes). A period is closed when its `self_assessment_close`
milestone has passed and it still has answers that are neither final nor reopened by the
coordinator after the deadline, nor kept open by their unit's extension (those are locked when
it ends). Running it again changes nothing: it is idempotent, also when two runs overlap (each
period is locked and checked again before it is closed).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from monev.evaluations import services
from monev.evaluations.deadlines import answers_due
from monev.evaluations.models import Milestone, Period


def periods_due(now):
    """Periods whose self-assessment deadline has passed with answers still open (and not kept
    open by a unit's extension)."""
    return (
        Period.objects.filter(
            milestones__kind=Milestone.Kind.SELF_ASSESSMENT_CLOSE,
            milestones__due_at__lte=now,
        )
        .filter(Exists(answers_due(now).filter(period=OuterRef("pk"))))
        .select_related("institution")
        .order_by("pk")
    )


class Command(BaseCommand):
    help = (
        "Evaluation-cycle jobs for cron. close-due: lock answers at the self-assessment deadline. "
        "snapshot-due: snapshot levels and scores at each Triwulan checkpoint."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", metavar="{close-due,snapshot-due}")
        commands.required = True
        close = commands.add_parser(
            "close-due",
            help="lock as final mandiri every period whose self-assessment deadline has passed",
        )
        close.add_argument(
            "--dry-run", action="store_true", help="name the periods due, change nothing"
        )
        snapshot = commands.add_parser(
            "snapshot-due",
            help="snapshot every period whose Triwulan checkpoint has passed without one",
        )
        snapshot.add_argument(
            "--dry-run", action="store_true", help="name the checkpoints due, change nothing"
        )

    def handle(self, *args, action: str, **options):
        if action == "close-due":
            self.close_due(dry_run=options["dry_run"])
        elif action == "snapshot-due":
            self.snapshot_due(dry_run=options["dry_run"])

    def snapshot_due(self, *, dry_run: bool) -> None:
        """Idempotent: a checkpoint with a snapshot is never taken again (cron, any rate)."""
        from monev.monitoring import services as monitoring

        now = timezone.now()
        due = list(monitoring.checkpoints_due(now))
        if not due:
            self.stdout.write("No checkpoint is due for a snapshot.")
            return
        for milestone in due:
            label = monitoring.CHECKPOINTS[milestone.kind]
            if dry_run:
                self.stdout.write(f"Due: {milestone.period} {label} (period {milestone.period_id})")
                continue
            snapshot = monitoring.snapshot_checkpoint(
                period_id=milestone.period_id, checkpoint=milestone.kind, now=now
            )
            if snapshot is not None:
                index = snapshot.index_of("self") or "-"
                self.stdout.write(
                    f"Snapshot {label} of {milestone.period} (period {milestone.period_id}): "
                    f"self-assessed index {index}."
                )

    def close_due(self, *, dry_run: bool) -> None:
        now = timezone.now()
        due = list(periods_due(now))
        if not due:
            self.stdout.write("No period is due for closing.")
            return
        for period in due:
            if dry_run:
                self.stdout.write(f"Due: {period} (id {period.pk})")
                continue
            locked = self._close(period.pk, now)
            if locked is not None:
                self.stdout.write(f"Closed {period} (id {period.pk}): {locked} answer(s) locked.")

    @staticmethod
    def _close(period_id: int, now) -> int | None:
        with transaction.atomic():
            # Lock the period and check again: an overlapping run may have closed it.
            period = Period.objects.select_for_update().filter(pk=period_id).first()
            if period is None or not periods_due(now).filter(pk=period_id).exists():
                return None
            return services.period_close_self_assessment(actor=None, period_id=period.pk, now=now)
