"""`monev check`: Django's system checks, then Monev's integrity checks: every stored evidence
file against its SHA-256 (modified, missing, orphan files) and the audit trail's hash chains,
compared with the audit anchor (MONEV_AUDIT_ANCHOR).

It extends Django's own `check` (all its options, such as --deploy, work as before): an app's
command replaces a core one of the same name. Exits 1 with the list of problems, for cron and
monitoring.
"""

from __future__ import annotations

import sys

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder

from monev.operations import integrity
from monev.operations.progress import human_bytes


class Command(SystemCheckCommand):
    help = (
        "Django's system checks, then Monev's integrity checks: stored evidence against its "
        "checksums (modified, missing, orphan files) and the audit chain, compared with the "
        "audit anchor."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--skip-integrity",
            action="store_true",
            help="run the system checks only (no database or storage needed)",
        )
        which.add_argument(
            "--integrity-only",
            action="store_true",
            help="run the integrity checks only (evidence files and audit chain)",
        )

    def handle(self, *app_labels, **options):
        if options["list_tags"] or not options["integrity_only"]:
            super().handle(*app_labels, **options)
        if options["list_tags"] or options["skip_integrity"]:
            return
        self.integrity()

    def integrity(self) -> None:
        try:
            migrated = MigrationRecorder(connection).has_table()
        except DatabaseError as error:
            raise CommandError(
                f"Integrity checks: the database cannot be reached ({error}). "
                "Use --skip-integrity for the system checks alone."
            ) from None
        if not migrated:
            self.stdout.write(
                "Integrity checks skipped: the database has no tables yet (run `monev migrate`)."
            )
            return
        report = integrity.check_all(sys.stderr)
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        if report.anchor_note:
            self.stdout.write(f"note: {report.anchor_note}")
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Integrity: {report.files_checked} evidence files "
                    f"({human_bytes(report.bytes_checked)}) match their checksums; "
                    f"audit trail intact ({report.audit_events} events)."
                )
            )
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(
            f"Integrity: {len(report.problems)} problem(s) found (listed above).", returncode=1
        )
