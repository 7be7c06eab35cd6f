"""`monev refresh_scores`: score every period again with the engine and store the results.

Never needed after writes through the application (every page checks the stored scores
against a stamp of their inputs and recomputes the stale ones); for after a change made in
the database by hand that left every count, version and sum as it was."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from monev.benchmarking.scores import refresh_all


class Command(BaseCommand):
    help = "Recompute the stored score of every period (rankings, progress, peer pages)."

    def handle(self, *args, **options):
        count = refresh_all()
        self.stdout.write(f"{count} period scores recomputed")
