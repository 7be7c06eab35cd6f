"""Imports through the API, with the same services and permissions as the pages.

POST a file (multipart field `file`) to /imports/periods/{id}/{kind} or
/imports/institutions/{id}/{kind}: with `dry_run=true` (the default) the answer is the preview
report (batch id, changes, every rejected row with its row, column and message) and nothing is
written; POST /imports/{batch_id}/apply then writes it, all or nothing. With `dry_run=false` a
file without rejected rows is applied at once. POST /external-results/import is the
`external` kind for many institutions, documented with the external values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from monev.imports import services
from monev.imports.models import ImportBatch
from monev.imports.report import Report
from monev.imports.uploads import refused_upload, too_large_message, upload_path
from monev.imports.workbooks import JSON, XLSX, template_response
from monev.lib.api_schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id
from monev.lib.errors import InvalidInput

router = Router(tags=["imports"])
# Mounted after monev.external's router, so the document lists it with the external values.
external_results_router = Router(tags=["external values"])

PeriodKind = Literal[tuple(services.PERIOD_KINDS)]  # type: ignore[valid-type]
InstitutionKind = Literal[tuple(services.INSTITUTION_KINDS)]  # type: ignore[valid-type]
EvaluatorKind = Literal[tuple(services.EVALUATOR_KINDS)]  # type: ignore[valid-type]
AnyKind = Literal[tuple(services.KINDS)]  # type: ignore[valid-type]


class ImportRejectedOut(Schema):
    sheet: str = Field(description='the sheet\'s name ("CSV" for a CSV file)')
    row: int = Field(description="the file's row number, 1-based; 0 for the file as a whole")
    column: str = Field(description="the column's header as written in the file")
    message: str = Field(examples=["Tingkat 7 di luar skala 1-5."])


class ImportChangeOut(Schema):
    row: int = Field(
        description="the file's row number; 0 for a change no row makes (a link removed)"
    )
    action: Literal["create", "update", "add", "remove", "unchanged"]
    subject: str = Field(examples=["Indikator 3"])
    before: str
    after: str
    note: str


class ImportCountsOut(Schema):
    create: int
    update: int
    add: int
    remove: int
    unchanged: int
    rejected: int


class ImportOut(Schema):
    id: int = Field(description="the batch id, for .../apply")
    kind: str = Field(examples=["levels"])
    status: Literal["preview", "applied", "discarded", "expired"]
    filename: str
    sha256: str
    period_id: int | None
    institution_id: int | None
    created_at: datetime
    applied_at: datetime | None
    rows_read: int
    can_apply: bool = Field(description="a preview with changes and no rejected row")
    counts: ImportCountsOut
    changes: list[ImportChangeOut] = Field(description="every change, unchanged rows included")
    rejected: list[ImportRejectedOut]
    message: str = ""


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": ".xlsx or CSV (; or , separated); for `tauval` "
                            "the JSON export; at most 5 MB",
                        },
                        "dry_run": {
                            "type": "boolean",
                            "default": True,
                            "description": "true: only the preview; false: apply at once "
                            "if no row is rejected",
                        },
                    },
                }
            }
        },
    }
}
UPLOAD_ERRORS = {**WRITE_ERRORS, 413: ErrorOut}


def _out(batch: ImportBatch, message: str = "") -> dict:
    report = Report.from_json(batch.report) if batch.report else Report(kind=batch.kind)
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "status": batch.status,
        "filename": batch.filename,
        "sha256": batch.sha256,
        "period_id": batch.period_id,
        "institution_id": batch.institution_id,
        "created_at": batch.created_at,
        "applied_at": batch.applied_at,
        "rows_read": report.rows_read,
        "can_apply": batch.status == ImportBatch.Status.PREVIEW
        and report.ok
        and bool(report.writes),
        "counts": report.counts,
        "changes": [
            {k: getattr(c, k) for k in ("row", "action", "subject", "before", "after", "note")}
            for c in report.changes
        ],
        "rejected": [vars(r) for r in report.rejected],
        "message": message,
    }


def _dry_run(request) -> bool:
    value = request.POST.get("dry_run", "true").strip().lower()
    if value in ("true", "1", "yes", "on", ""):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    message = str(_("dry_run must be true or false."))
    raise InvalidInput(message, details=[{"location": "form.dry_run", "message": message}])


def _upload(request, kind: str, **target):
    if refused_upload(request):
        message = too_large_message()
        return Status(413, {"error": {"code": "too_large", "message": message, "details": []}})
    dry_run = _dry_run(request)
    uploaded = request.FILES.get("file")
    with upload_path(uploaded) as path:
        batch = services.import_preview(
            actor=request.auth, kind=kind, path=path, filename=uploaded.name, **target
        )
    if dry_run:
        return Status(201, _out(batch))
    return _apply(request, batch.pk)


def _apply(request, batch_id: int):
    outcome = services.import_apply(actor=request.auth, batch_id=batch_id)
    if outcome.applied:
        return Status(200, _out(outcome.batch, outcome.message))
    report = Report.from_json(outcome.batch.report)
    details = [
        {
            "location": f"{r.sheet}!{r.row}:{r.column}" if r.sheet else f"{r.row}:{r.column}",
            "message": r.message,
        }
        for r in report.rejected
    ]
    body = {"error": {"code": "import_not_applied", "message": outcome.message, "details": details}}
    return Status(409, body)


@router.post(
    "/imports/periods/{period_id}/{kind}",
    response={201: ImportOut, 200: ImportOut, **UPLOAD_ERRORS},
    summary="Import levels or the assignment matrix into a period",
    openapi_extra=UPLOAD_BODY,
)
def import_into_period(request, period_id: Id, kind: PeriodKind):  # type: ignore[valid-type]
    """`levels`: a level and penjelasan per indicator (columns "No. Indikator", "Tingkat
    Mandiri", "Penjelasan"), written through the answer service (deadline, versions,
    permissions, audit). `assignment`: the unit x indicator matrix, long form ("Indikator",
    "Kode Unit") or wide form (a column per unit code, "x" where responsible); replaces the
    whole matrix. 201 with the preview; 422 if the file cannot be read; 413 if over 5 MB."""
    return _upload(request, kind, period_id=period_id)


@router.post(
    "/imports/institutions/{institution_id}/{kind}",
    response={201: ImportOut, 200: ImportOut, **UPLOAD_ERRORS},
    summary="Import units and users, or published results (a table or the TAUVAL export)",
    openapi_extra=UPLOAD_BODY,
)
def import_into_institution(request, institution_id: Id, kind: InstitutionKind):  # type: ignore[valid-type]
    """`people`: sheets "Unit" (Kode, Nama, Nama Singkat) and "Pengguna" (Username, Nama
    Lengkap, Email, Peran, Kode Unit, optional Kata Sandi Awal). `published`: Kode Instansi
    (or the institution's name), Tahun, Indeks, Predikat, Instrumen, Sumber, Catatan.
    `tauval`: the national evaluation system's JSON export (a list of records with kode,
    tahun, nama_instansi and nilai A2001-A2008, D2001-D2004, indeks), read as spbe-2020
    results; a record whose indeks or domains do not agree with its aspects is rejected, as
    is a year outside 2021-2025; a file that is not such a JSON list answers 422. Needs
    manage_institution; a published row of an institution the caller does not manage is
    rejected."""
    return _upload(request, kind, institution_id=institution_id)


@router.post(
    "/imports/evaluator/{kind}",
    response={201: ImportOut, 200: ImportOut, **UPLOAD_ERRORS},
    summary="Import institutions, periods or assessor assignments (evaluators)",
    openapi_extra=UPLOAD_BODY,
)
def import_for_evaluator(request, kind: EvaluatorKind):  # type: ignore[valid-type]
    """Not tied to one institution: each row names its institution by code and is rejected
    when outside the caller's evaluator scope (403 without an evaluator scope).
    `institutions`: Kode, Nama, Nama Singkat, Jenis (pusat/provinsi/kabupaten/kota),
    Provinsi. `periods`: Kode Instansi, Tahun, Jenis (evaluasi/pemantauan), Instrumen,
    Target, milestone dates. `assessor-assignments`: Kode Instansi, Tahun, Username Asesor,
    Aspek. See docs/evaluator.md."""
    from monev.assignments.selectors import require_evaluator

    require_evaluator(request.auth)
    return _upload(request, kind)


@external_results_router.post(
    "/external-results/import",
    response={201: ImportOut, 200: ImportOut, **UPLOAD_ERRORS},
    summary="Import many institutions' external results from a file",
    openapi_extra=UPLOAD_BODY,
    # The id it had in monev.external.api, so that generated clients keep their method name.
    operation_id="monev_external_api_result_import",
)
def result_import(request):
    """Columns Kode Instansi, Indikator, Tahun Data, Nilai Sumber, Nilai Indikator,
    Sumber/Keterangan; one row per institution, indicator and data year. Rows of institutions
    the caller may not record for are rejected one by one. 201 with the preview (nothing
    written; apply with POST /imports/{batch_id}/apply), or with dry_run=false applied at once
    if no row is rejected (all or nothing)."""
    return _upload(request, "external")


@router.get(
    "/imports/templates/{kind}",
    response={200: None, 401: ErrorOut, 422: ErrorOut},
    summary="A template workbook for one kind of import",
    openapi_extra={
        "responses": {
            "200": {
                "description": "An .xlsx with the sheets and headers the import reads, an "
                "example row and a sheet of instructions; for `tauval` an example JSON file.",
                "content": {
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                    JSON: {"schema": {"type": "array", "items": {"type": "object"}}},
                },
            }
        }
    },
)
def template_download(request, kind: AnyKind):  # type: ignore[valid-type]
    """The template of `levels`, `assignment`, `people`, `published` and the other table
    kinds (fill it in and POST it to the matching import); for `tauval` an example of the
    JSON export (one record)."""
    return template_response(services.kind_of(kind))


@router.get(
    "/imports/{batch_id}",
    response={200: ImportOut, **READ_ERRORS},
    summary="An import's report",
)
def import_detail(request, batch_id: Id):
    """The preview (or, once applied, the result) of one of the caller's imports."""
    return _out(services.batch_for(request.auth, batch_id))


@router.post(
    "/imports/{batch_id}/apply",
    response={200: ImportOut, **WRITE_ERRORS},
    summary="Apply a previewed import",
)
def import_apply(request, batch_id: Id):
    """Validates the rows again against the current data and writes all of them or none.
    409 `import_not_applied` (details: every rejected row as `sheet!row:column`) if a row is
    rejected now or the data changed since the preview (GET the batch for the new preview);
    409 `invalid_transition` if it was already applied; 404 for someone else's import, as for
    an id that does not exist."""
    return _apply(request, batch_id)


@router.post(
    "/imports/{batch_id}/discard",
    response={200: ImportOut, **WRITE_ERRORS},
    summary="Discard a previewed import",
)
def import_discard(request, batch_id: Id):
    """Drops the preview (its rows are deleted); nothing is written. An applied import stays
    applied."""
    return _out(services.import_discard(actor=request.auth, batch_id=batch_id))
