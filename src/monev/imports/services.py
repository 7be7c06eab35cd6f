"""Imports: preview (parse, validate, keep the batch) and apply (validate again against the
current state and write everything through the services in one transaction, or nothing).

Pages, the API and `monev import` call these. `actor` None is the system (the command).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.evaluations.models import Period
from monev.evaluations.selectors import period_for_user
from monev.imports.kinds.assessors import AssessorAssignmentsImport
from monev.imports.kinds.assignment import AssignmentImport
from monev.imports.kinds.base import Context, ImportKind
from monev.imports.kinds.external import ExternalImport
from monev.imports.kinds.institutions import InstitutionsImport
from monev.imports.kinds.levels import LevelsImport
from monev.imports.kinds.people import PeopleImport
from monev.imports.kinds.periods import PeriodsImport
from monev.imports.kinds.published import PublishedImport
from monev.imports.kinds.tauval import TauvalImport
from monev.imports.models import ImportBatch
from monev.imports.parsing import MAX_BYTES, MAX_ROWS, Unreadable
from monev.imports.report import Rejection, Report
from monev.institutions.access import institution_for_user, require
from monev.institutions.models import Institution
from monev.lib.errors import InvalidInput, InvalidTransition, NotFound

KINDS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in (
        LevelsImport(),
        AssignmentImport(),
        PeopleImport(),
        PublishedImport(),
        TauvalImport(),
        ExternalImport(),
        InstitutionsImport(),
        PeriodsImport(),
        AssessorAssignmentsImport(),
    )
}
PERIOD_KINDS = [name for name, kind in KINDS.items() if kind.scope == "period"]
INSTITUTION_KINDS = [name for name, kind in KINDS.items() if kind.scope == "institution"]
# Not tied to one institution: rows name theirs, checked against the evaluator scope.
EVALUATOR_KINDS = [name for name, kind in KINDS.items() if kind.scope == "evaluator"]
PREVIEW_LIFETIME = timedelta(hours=24)
Status = ImportBatch.Status


def unreadable_message(problem: Unreadable) -> str:
    """Why a file cannot be imported at all, for people."""
    messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than %(limit_mb)s MB; split it into smaller files."),
        "too_many_rows": _("The file has more than %(limit)s rows; split it into smaller files."),
        "legacy_xls": _(
            "This is an old Excel file (.xls); save it as Excel Workbook (.xlsx) or CSV."
        ),
        "wrong_type": _(
            "The file is not an Excel workbook (.xlsx) or a CSV file (its content is %(found)s)."
        ),
        "binary": _("The file is not an Excel workbook (.xlsx) or a CSV file."),
        "executable": _("The file is a program, not an Excel workbook (.xlsx) or a CSV file."),
        "unknown_type": _("The file is not an Excel workbook (.xlsx) or a CSV file."),
        "encoding": _("The CSV file's text encoding is not readable; save it as CSV UTF-8."),
        "corrupt": _("The file is damaged and cannot be read."),
        "corrupt_zip": _("The file is damaged and cannot be read."),
        "zip_bomb": _("The file unpacks to far more data than a table holds; it is refused."),
        "encrypted": _(
            "The workbook is password-protected; remove the password and upload it again."
        ),
        "unreadable": _("The file cannot be read."),
        # A JSON import (tauval)
        "json_not_text": _(
            "The file is not JSON text (it holds binary data, such as a workbook or a PDF); "
            "upload the JSON file the national system exports."
        ),
        "json_invalid_at": _(
            "The file is not valid JSON: the error is at line %(line)s, column %(column)s."
        ),
        "json_invalid": _("The file is not valid JSON."),
        "json_object": _(
            "The file must be a JSON list of records ([{…}, {…}]); its top level is an object "
            "with the keys %(keys)s. Save the list of records alone and upload it again."
        ),
        "json_not_list": _(
            "The file must be a JSON list of records ([{…}, {…}]); its top level is not a list."
        ),
        "json_no_records": _("The file holds an empty list: there are no records to import."),
        "too_many_records": _(
            "The file has more than %(limit)s records; split it into smaller files."
        ),
    }
    message = messages.get(problem.code, messages["unreadable"])
    params = {
        "limit_mb": MAX_BYTES // (1024 * 1024),
        "limit": f"{MAX_ROWS:,}".replace(",", "."),
        "found": "",
    }
    params.update({k: v for k, v in problem.params.items() if k != "limit"})
    return str(message % params)


def kind_of(name: str, scope: str | None = None) -> ImportKind:
    kind = KINDS.get(name)
    if kind is None or (scope and kind.scope != scope):
        raise NotFound(_("Unknown kind of import."))
    return kind


def _context(actor, kind: ImportKind, *, period_id=None, institution_id=None, now=None) -> Context:
    """Who may import what: the kind's capability in the target (none needed by the system)."""
    if kind.scope == "period":
        if period_id is None:
            raise InvalidInput(_("Name the period to import into."))
        if actor is None:
            period = Period.objects.select_related("institution").filter(pk=period_id).first()
            if period is None:
                raise NotFound(_("Period not found."))
            return Context(actor=None, institution=period.institution, period=period, now=now)
        period, access = period_for_user(actor, period_id)
        require(access, kind.capability)
        return Context(actor, institution=period.institution, period=period, access=access, now=now)
    if institution_id is None:
        if kind.many_institutions or (actor is None and kind.system_needs_no_target):
            return Context(actor=actor, institution=None, now=now)  # rows name their institutions
        raise InvalidInput(_("Name the institution to import into."))
    if actor is None:
        institution = Institution.objects.filter(pk=institution_id).first()
        if institution is None:
            raise NotFound(_("Institution not found."))
        return Context(actor=None, institution=institution, now=now)
    institution, access = institution_for_user(actor, institution_id)
    if not kind.permits(access):
        require(access, kind.capability)
    return Context(actor, institution=institution, access=access, now=now)


def _validate(kind: ImportKind, context: Context, rows, layout, problems) -> Report:
    report = Report(kind=kind.name, rows_read=len(rows))
    report.rejected.extend(problems)
    kind.validate(context, rows, layout, report)
    return report


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_preview(
    *,
    actor,
    kind: str,
    path: str | Path,
    filename: str,
    period_id: int | None = None,
    institution_id: int | None = None,
    now: datetime | None = None,
) -> ImportBatch:
    """Read and validate the file; nothing of the institution's data changes. The batch keeps
    the parsed rows and the report for the apply. Raises InvalidInput if the file cannot be
    read at all (empty, too large, not a table, damaged)."""
    import_kind = kind_of(kind)
    context = _context(
        actor, import_kind, period_id=period_id, institution_id=institution_id, now=now
    )
    path = Path(path)
    try:
        sheets = import_kind.read(path)
    except Unreadable as problem:
        message = unreadable_message(problem)
        raise InvalidInput(message, details=[{"location": "file", "message": message}]) from None
    rows, problems, layout = import_kind.extract(sheets)
    report = _validate(import_kind, context, rows, layout, problems)
    scrub = getattr(import_kind, "scrub", None)
    if scrub is not None:
        rows = scrub(rows, report)
    import_batches_expire(now=now)
    return ImportBatch.objects.create(
        kind=import_kind.name,
        institution=context.institution,
        period=context.period,
        uploaded_by=actor,
        filename=filename[:255],
        sha256=sha256_of(path),
        rows=rows,
        layout=layout,
        report=report.to_json(),
    )


def without_secrets(report: Report) -> dict:
    """The report to keep once the batch is done: no password hash stays in it."""
    data = report.to_json()
    for change in data["changes"]:
        change["data"].pop("password_hash", None)
    return data


def import_batches_expire(*, now: datetime | None = None) -> int:
    """Previews older than a day are dropped (their rows may hold personal data; a people
    import's report may hold password hashes)."""
    cutoff = (now or timezone.now()) - PREVIEW_LIFETIME
    expired = ImportBatch.objects.filter(status=Status.PREVIEW, created_at__lt=cutoff)
    expired.filter(kind="people").update(report={})
    return expired.update(status=Status.EXPIRED, rows=[], layout={})


def batch_for(actor, batch_id: int) -> ImportBatch:
    """The batch, if `actor` uploaded it (others are told it does not exist, as for a missing
    id)."""
    batch = (
        ImportBatch.objects.select_related("period__institution", "institution")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None or batch.uploaded_by_id != (actor.pk if actor is not None else None):
        raise NotFound(_("Import not found."))
    return batch


@dataclass
class Outcome:
    batch: ImportBatch
    applied: bool
    message: str = ""


def _signature(report: Report) -> list:
    """What the person approved: the writes (with the versions and ids they rest on) and the
    state validated against. Wording is left out (the language may differ at apply time)."""
    return [
        report.state,
        [(c.row, c.action, c.data) for c in report.changes if c.writes],
    ]


def import_apply(*, actor, batch_id: int, now: datetime | None = None) -> Outcome:
    """Validate the batch's rows again against the current state, then write every change
    through the services in one transaction. If anything is rejected now, or the changes are
    no longer those previewed, or a service refuses a row, nothing is written and the batch
    shows the new report."""
    now_ = now or timezone.now()
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.uploaded_by_id != (actor.pk if actor is not None else None):
            # Someone else's batch is "not found" like a missing id: ids are sequential, and a
            # different answer would tell who imports what, and when.
            raise NotFound(_("Import not found."))
        if batch.status == Status.APPLIED:
            when = formats.date_format(timezone.localtime(batch.applied_at), "DATETIME_FORMAT")
            raise InvalidTransition(
                _("This import was already applied on %(when)s.") % {"when": when}
            )
        if batch.status == Status.PREVIEW and batch.created_at < now_ - PREVIEW_LIFETIME:
            batch.status, batch.rows, batch.layout = Status.EXPIRED, [], {}
            batch.report = without_secrets(Report.from_json(batch.report))
            batch.save(update_fields=["status", "rows", "layout", "report"])
            return Outcome(batch, False, str(_("This preview has expired; upload the file again.")))
        if batch.status != Status.PREVIEW:
            raise InvalidTransition(
                _("This import was discarded or has expired; upload the file again.")
            )
        kind = kind_of(batch.kind)
        context = _context(
            actor,
            kind,
            period_id=batch.period_id,
            institution_id=batch.institution_id,
            now=now,
        )
        previewed = Report.from_json(batch.report)
        problems = [r for r in previewed.rejected if r.row == 0 and r.column == ""]
        fresh = _validate(kind, context, batch.rows, batch.layout, problems)
        if fresh.rejected:
            batch.report = fresh.to_json()
            batch.save(update_fields=["report"])
            return Outcome(batch, False, str(_("Some rows are rejected; nothing was written.")))
        if _signature(fresh) != _signature(previewed):
            batch.report = fresh.to_json()
            batch.save(update_fields=["report"])
            return Outcome(
                batch,
                False,
                str(
                    _(
                        "The data changed since the preview; nothing was written. Check the "
                        "new preview below and apply again."
                    )
                ),
            )
        failures: list[tuple[int, str, str]] = []
        try:
            with transaction.atomic():  # everything or nothing
                failures = kind.apply(context, fresh)
                if failures:
                    raise _Undo
                counts = fresh.counts
                audit_record(
                    actor=actor,
                    action="import.apply",
                    obj=batch,
                    institution_id=batch.institution_id,
                    period_id=batch.period_id,
                    after={
                        "kind": batch.kind,
                        "file": batch.filename,
                        "sha256": batch.sha256,
                        **{k: v for k, v in counts.items() if k != "rejected"},
                    },
                )
                batch.status, batch.applied_at = Status.APPLIED, timezone.now()
                batch.report = without_secrets(fresh)
                batch.rows = []  # applied: the audit trail is the record from now on
                batch.save(update_fields=["status", "applied_at", "report", "rows"])
        except _Undo:
            for row, column, message in failures:
                fresh.rejected.append(Rejection(row=row, column=column, message=message))
            batch.report = fresh.to_json()
            batch.save(update_fields=["report"])
            return Outcome(
                batch, False, str(_("A row was refused while writing; nothing was written."))
            )
    return Outcome(batch, True, str(_("The import was applied.")))


class _Undo(Exception):
    """Raised inside the inner transaction to roll back every write of the apply."""


@transaction.atomic
def import_discard(*, actor, batch_id: int) -> ImportBatch:
    batch = batch_for(actor, batch_id)
    if batch.status == Status.PREVIEW:
        batch.status, batch.rows = Status.DISCARDED, []
        batch.report = without_secrets(Report.from_json(batch.report))
        batch.save(update_fields=["status", "rows", "report"])
    return batch
