"""`monev import KIND FILE (--period ID | --institution CODE) [--dry-run]`

The evaluator kinds (institutions, periods, assessor-assignments) take no target: each row
names its institution, and the system has every institution in its scope. `published` and
`tauval` (the national evaluation system's JSON export) may omit --institution likewise.

Runs as the system (no user: no permission check, but the same validation and the same services
as the pages, so deadlines, versions and the audit trail apply). Prints every rejected row and
exits 1 without writing anything if any row is rejected; prints the changes otherwise and
applies them all in one transaction (unless --dry-run).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monev.imports import services
from monev.imports.report import Report
from monev.institutions.models import Institution
from monev.lib.errors import DomainError

ACTIONS = {"create": "new", "update": "changed", "add": "added", "remove": "removed"}


class Command(BaseCommand):
    help = (
        "Import a .xlsx or CSV file: levels or assignment into a period (--period ID), people "
        "or published results of an institution (--institution CODE); or the national "
        "system's JSON export (tauval FILE). Nothing is written if any row is rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(services.KINDS))
        parser.add_argument("file", type=Path)
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--period", type=int, metavar="ID", help="`monev periods` lists ids")
        target.add_argument("--institution", metavar="CODE", help="the institution's code")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and list the changes; write nothing"
        )

    def handle(self, *args, kind: str, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        import_kind = services.KINDS[kind]
        target: dict = {}
        if import_kind.scope == "period":
            if options["period"] is None:
                raise CommandError(f"{kind} imports into a period: give --period ID.")
            target["period_id"] = options["period"]
        elif options["institution"]:
            institution = Institution.objects.filter(code=options["institution"]).first()
            if institution is None:
                raise CommandError(f"No institution has the code {options['institution']!r}.")
            target["institution_id"] = institution.pk
        elif not import_kind.system_needs_no_target and not import_kind.many_institutions:
            raise CommandError(f"{kind} imports into an institution: give --institution CODE.")
        try:
            batch = services.import_preview(
                actor=None, kind=kind, path=file, filename=file.name, **target
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        report = Report.from_json(batch.report)
        self._print(report)
        if report.rejected:
            services.import_discard(actor=None, batch_id=batch.pk)
            raise CommandError(
                f"{len(report.rejected)} row(s) rejected; nothing was written.", returncode=1
            )
        if options["dry_run"]:
            services.import_discard(actor=None, batch_id=batch.pk)
            self.stdout.write("Dry run: nothing was written.")
            return
        if not report.writes:
            services.import_discard(actor=None, batch_id=batch.pk)
            self.stdout.write("Nothing to change.")
            return
        outcome = services.import_apply(actor=None, batch_id=batch.pk)
        if not outcome.applied:
            self._print_rejected(Report.from_json(outcome.batch.report))
            raise CommandError(f"{outcome.message}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Applied (import {batch.pk})."))

    def _print(self, report: Report) -> None:
        counts = report.counts
        self.stdout.write(
            f"{report.rows_read} row(s) read: {counts['create']} new, {counts['update']} changed, "
            f"{counts['add']} added, {counts['remove']} removed, {counts['unchanged']} unchanged, "
            f"{counts['rejected']} rejected."
        )
        for change in report.writes:
            where = f"row {change.row}: " if change.row else ""
            arrow = f" {change.before} -> {change.after}" if change.before or change.after else ""
            note = f" ({change.note})" if change.note else ""
            self.stdout.write(f"  {where}{ACTIONS[change.action]} {change.subject}{arrow}{note}")
        self._print_rejected(report)

    def _print_rejected(self, report: Report) -> None:
        for rejected in report.rejected:
            sheet = f"{rejected.sheet} " if rejected.sheet else ""
            column = f", column {rejected.column}" if rejected.column else ""
            self.stderr.write(f"  REJECTED {sheet}row {rejected.row}{column}: {rejected.message}")
