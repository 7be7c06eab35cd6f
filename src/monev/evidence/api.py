"""Evidence (data dukung) through the API: the institution's library with search, uploads
(multipart) and links (JSON), an item's description, versions and download, linking evidence
to an answer's levels, and an answer's readiness checks.

The same selectors and services as the pages, so the same permissions: an item the caller may
not see answers 404. A file over the size limit answers 413, a refused file 422 with the reason,
and a file already in the library 409 with `error.existing` saying where it is.
"""

from __future__ import annotations

import json
from contextlib import closing
from datetime import date, datetime
from functools import partial
from typing import Literal

import pydantic
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from monev.evaluations import selectors as evaluation_selectors
from monev.evidence import readiness, search, selectors, services
from monev.evidence.downloads import download_response
from monev.evidence.models import Evidence, EvidenceVersion
from monev.evidence.storage import refusal
from monev.evidence.uploads import is_raw_body, receive_body
from monev.institutions.access import institution_for_user, require
from monev.institutions.permissions import Capability
from monev.lib.api_schemas import (
    OFFSET_QUERY,
    READ_ERRORS,
    WRITE_ERRORS,
    DateIn,
    ErrorDetailOut,
    ErrorOut,
    Id,
    SmallInt,
    UnitOut,
    Version,
)
from monev.lib.errors import Conflict, InvalidInput

router = Router(tags=["evidence"])

KindName = Literal[tuple(Evidence.Kind.values)]  # type: ignore[valid-type]
MAX_LIMIT = 200


# --- output schemas --------------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    institution_id: int
    title: str
    kind: str
    kind_label: str
    document_number: str
    document_date: date | None
    effective_date: date | None
    unit: UnitOut | None = Field(description="the supplying unit")
    url: str = Field(description="for a link: the application's address")
    access_notes: str = Field(description="for a link: test account / how to try it")
    version: int = Field(description="of the description: send it back with PATCH")
    latest_version: int | None = Field(description="the number of the current file version")
    text_status: str | None = Field(
        description="of the current file: pending, done, no_text_layer, not_applicable, failed"
    )
    file_kind: str | None = Field(description="pdf, docx, ... (by content)")
    link_count: int = Field(description="answer levels this item supports")
    created_at: datetime
    passage: str | None = Field(
        None, description="with ?q=: the matching passage, HTML-escaped, matches in <mark>"
    )


class EvidencePageOut(Schema):
    count: int
    items: list[EvidenceOut]


class VersionOut(Schema):
    id: int
    number: int
    original_name: str
    change_note: str
    sha256: str
    size: int
    content_type: str
    file_kind: str
    text_status: str
    page_count: int | None
    uploaded_by: str | None
    created_at: datetime
    download_url: str


class UsageOut(Schema):
    answer_id: int
    period_id: int
    period_year: int
    period_kind: str
    indicator: str
    levels: list[int]


class EvidenceDetailOut(EvidenceOut):
    versions: list[VersionOut]
    used_in: list[UsageOut] = Field(description="every answer it supports, with the levels")
    text_head: str = Field(description="the start of the current file's extracted text")


class ExistingOut(Schema):
    id: int
    title: str


class DuplicateBodyOut(Schema):
    code: str = Field(examples=["conflict"])
    message: str
    details: list[ErrorDetailOut] = []
    existing: list[ExistingOut] = Field(description="where the same file already is")


class DuplicateOut(Schema):
    error: DuplicateBodyOut


class LinkLevelsOut(Schema):
    answer_id: int
    evidence_id: int
    levels: list[int] = Field(description="the levels the evidence now supports")


class CheckOut(Schema):
    code: str
    severity: Literal["error", "warning", "info"]
    severity_label: str
    message: str = Field(description="in the caller's language, saying what to do")
    levels: list[int]
    evidence_ids: list[int]


class ChecklistEvidenceOut(Schema):
    id: int
    title: str


class ChecklistLevelOut(Schema):
    level: int
    name: str
    expected: str = Field(description="what the instrument expects as evidence at this level")
    claimed: bool = Field(description="at or below the claimed level")
    present: bool
    evidence: list[ChecklistEvidenceOut]


class ReadinessOut(Schema):
    answer_id: int
    claimed: int | None
    ready: bool = Field(description="no error-level check")
    checks: list[CheckOut]
    checklist: list[ChecklistLevelOut]


# --- input schemas ---------------------------------------------------------------------------


class UploadFieldsIn(Schema):
    """The form fields beside `file` in a multipart upload."""

    title: str = Field("", max_length=300, description="default: the file name")
    kind: KindName = Field(examples=["peraturan"])  # type: ignore[valid-type]
    unit_id: Id | None = Field(None, description="the supplying unit (operators: their own)")
    document_number: str = Field("", max_length=120, examples=["12 Tahun 2024"])
    document_date: DateIn | None = Field(None, examples=["2024-06-02"])
    effective_date: DateIn | None = None


class LinkEvidenceIn(Schema):
    title: str = Field(min_length=1, max_length=300, examples=["Aplikasi e-Office"])
    url: str = Field(max_length=500, examples=["https://eoffice.contoh.go.id"])
    access_notes: str = Field("", examples=["Akun uji: asesor / sandi dikirim terpisah"])
    unit_id: int | None = None
    kind: KindName = Field("tautan")  # type: ignore[valid-type]


class EvidencePatchIn(Schema):
    version: int = Field(description="the version you read; a stale one answers 409")
    title: str | None = Field(None, max_length=300)
    kind: KindName | None = None  # type: ignore[valid-type]
    document_number: str | None = Field(None, max_length=120)
    document_date: DateIn | None = None
    effective_date: DateIn | None = None
    unit_id: int | None = None
    url: str | None = Field(None, max_length=500)
    access_notes: str | None = None


class NewVersionFieldsIn(Schema):
    version: Version = Field(description="the evidence's version you read")
    change_note: str = Field(min_length=1, description="what changed (required)")


class LevelsIn(Schema):
    levels: list[int] = Field(min_length=1, examples=[[1, 2]])


# --- helpers ---------------------------------------------------------------------------------


def _parse(schema: type[Schema], data: dict, where: str):
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        raise ValidationError(
            [
                {"loc": (where, *e["loc"]), "msg": e["msg"], "type": e["type"]}
                for e in error.errors(include_url=False)
            ]
        ) from None


def _form_data(request) -> dict:
    """Multipart form fields, empty ones left out (so defaults apply)."""
    return {key: value for key, value in request.POST.items() if value != ""}


def _query_data(request) -> dict:
    """A raw-body upload's description: the query string, empty values left out."""
    return {key: value for key, value in request.GET.items() if value != ""}


def _is_json(request) -> bool:
    return request.content_type == "application/json"


def _unit(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.short_name}


def _evidence(item: Evidence) -> dict:
    return {
        "id": item.pk,
        "institution_id": item.institution_id,
        "title": item.title,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "document_number": item.document_number,
        "document_date": item.document_date,
        "effective_date": item.effective_date,
        "unit": _unit(item.unit),
        "url": item.url,
        "access_notes": item.access_notes,
        "version": item.version,
        "latest_version": getattr(item, "latest_version", None),
        "text_status": getattr(item, "text_status", None),
        "file_kind": getattr(item, "file_kind", None),
        "link_count": getattr(item, "link_count", 0),
        "created_at": item.created_at,
        "passage": getattr(item, "passage", None),
    }


def _version(version: EvidenceVersion) -> dict:
    stored = version.file
    return {
        "id": version.pk,
        "number": version.number,
        "original_name": version.original_name,
        "change_note": version.change_note,
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
        "file_kind": stored.kind,
        "text_status": stored.text_status,
        "page_count": stored.page_count,
        "uploaded_by": str(version.uploaded_by) if version.uploaded_by_id else None,
        "created_at": version.created_at,
        "download_url": f"/api/v1/evidence/versions/{version.pk}/download",
    }


def _detail(user, evidence_id: int) -> dict:
    detail = selectors.evidence_detail(user, evidence_id)
    usage: dict[int, dict] = {}
    for link in detail.links:
        answer = link.answer
        row = usage.setdefault(
            answer.pk,
            {
                "answer_id": answer.pk,
                "period_id": answer.period_id,
                "period_year": answer.period.year,
                "period_kind": answer.period.kind,
                "indicator": answer.indicator,
                "levels": [],
            },
        )
        row["levels"].append(link.level)
    latest = detail.versions[0] if detail.versions else None
    listed = (
        selectors.evidence_list(detail.access, detail.evidence.institution_id)
        .filter(pk=evidence_id)
        .first()
    )
    return {
        **_evidence(listed or detail.evidence),
        "versions": [_version(v) for v in detail.versions],
        "used_in": list(usage.values()),
        "text_head": selectors.file_text_head(latest.file_id) if latest else "",
    }


def _duplicate(error: Conflict):
    body = {
        "error": {
            "code": error.code,
            "message": str(error.message),
            "details": error.details,
            "existing": error.extra["existing"],
        }
    }
    return Status(409, body)


def _too_large(request):
    """413 when the upload handler skipped a file over the limit (None otherwise)."""
    request.FILES  # noqa: B018 - parse the body: the handler records while parsing
    skipped = getattr(request, "upload_refusals", [])
    if not skipped:
        return None
    error = refusal(skipped[0]["code"])
    body = {"error": {"code": "too_large", "message": str(error.message), "details": error.details}}
    return Status(413, body)


def _received(request, access, schema: type[Schema], store):
    """`store(uploaded, fields)` with the file and its description (`schema`), whichever way
    they came: a raw body (the description in the query string; the body is read only once
    the caller may upload and the description is valid) or a multipart form (413 if the
    upload handler skipped the file)."""
    if is_raw_body(request):
        require(access, Capability.MANAGE_EVIDENCE)  # before reading the body
        fields = _parse(schema, _query_data(request), "query")
        with closing(receive_body(request)) as uploaded:  # deleted unless storage moved it
            return store(uploaded, fields)
    if (too_large := _too_large(request)) is not None:
        return too_large
    fields = _parse(schema, _form_data(request), "form")
    return store(_file(request), fields)


def _file(request):
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise InvalidInput(
            _("Send the file as the multipart field `file`."),
            details=[{"location": "file", "message": str(_("Required."))}],
        )
    return uploaded


# A raw-body upload (any Content-Type but multipart and JSON): the body is the file, its name
# in Content-Disposition, its description in the query string (ignored for the other bodies).
RAW_NAME = [
    {
        "in": "header",
        "name": "Content-Disposition",
        "required": False,
        "description": "raw body only: attachment; filename*=UTF-8''<percent-encoded name>",
        "schema": {"type": "string"},
    }
]


def _file_body(fields: type[Schema], required: list[str], other: dict | None = None) -> dict:
    """The OpenAPI request of a file upload: multipart (`file` beside the `fields`), `other`
    bodies, or the file as the raw body with the fields in the query string."""
    properties = fields.model_json_schema()["properties"]
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", *required],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            **properties,
                        },
                    }
                },
                **(other or {}),
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        "parameters": [
            *RAW_NAME,
            *(
                {"in": "query", "name": name, "required": name in required, "schema": schema}
                for name, schema in properties.items()
            ),
        ],
    }


UPLOAD_BODY = _file_body(
    UploadFieldsIn, ["kind"], {"application/json": {"schema": LinkEvidenceIn.model_json_schema()}}
)
VERSION_BODY = _file_body(NewVersionFieldsIn, ["version", "change_note"])
UPLOAD_ERRORS = {**WRITE_ERRORS, 400: ErrorOut, 409: DuplicateOut, 411: ErrorOut, 413: ErrorOut}


# --- the library -----------------------------------------------------------------------------


@router.get(
    "/institutions/{institution_id}/evidence",
    response={200: EvidencePageOut, **READ_ERRORS},
    summary="List or search evidence",
)
def evidence_list(
    request,
    institution_id: Id,
    kind: KindName | None = None,  # type: ignore[valid-type]
    unit_id: Id | None = None,
    q: str = Query("", max_length=300, description="full-text search: titles and file text"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = OFFSET_QUERY,
):
    """The institution's evidence the caller may see (an operator: their units' and what is
    linked to their answers), newest first, with each item's current file and text status.
    With `q`, the items matching best first, each with the matching passage."""
    _institution, access = institution_for_user(request.auth, institution_id)
    if not q.strip():
        queryset = selectors.evidence_list(access, institution_id, kind=kind, unit_id=unit_id)
        items = list(queryset[offset : offset + limit])
        return {"count": queryset.count(), "items": [_evidence(i) for i in items]}
    ranked = search.evidence_search(
        access, institution_id, q, kind=kind, unit_id=unit_id, limit=offset + limit
    )
    return {"count": len(ranked), "items": [_evidence(i) for i in ranked[offset:]]}


@router.post(
    "/institutions/{institution_id}/evidence",
    response={201: EvidenceDetailOut, **UPLOAD_ERRORS},
    summary="Upload a file or add a link",
    openapi_extra=UPLOAD_BODY,
)
def evidence_create(request, institution_id: Id):
    """A new evidence item. `multipart/form-data` with the `file` and its description
    (`kind`, `title`, `unit_id`, `document_number`, `document_date`, `effective_date`); or,
    faster for large files, the file itself as the body (any other Content-Type, e.g.
    `application/octet-stream`) with its name in `Content-Disposition: attachment;
    filename*=UTF-8''...`, its length in Content-Length and the description in the query
    string. The type is decided by the content (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, MP4),
    never by the name or Content-Type; the stored name takes the extension of that type. Or
    `application/json` for a link (`url`, `title`, `access_notes`). 413 if the file is over
    the limit (a raw body: before it is read), 411 without Content-Length, 400 if the body is
    longer than its Content-Length, 422 if it is refused (the reason in `error.details`), 409
    if the same file is already in the institution's evidence (`error.existing`)."""
    if _is_json(request):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise InvalidInput(_("The body is not valid JSON.")) from None
        payload = _parse(LinkEvidenceIn, data if isinstance(data, dict) else {}, "body")
        evidence = services.evidence_create_link(
            actor=request.auth,
            institution_id=institution_id,
            url=payload.url,
            title=payload.title,
            unit_id=payload.unit_id,
            access_notes=payload.access_notes,
            kind=payload.kind,
        )
        return Status(201, _detail(request.auth, evidence.pk))
    _institution, access = institution_for_user(request.auth, institution_id)  # 404 first
    store = partial(_create_from, request, institution_id)
    return _received(request, access, UploadFieldsIn, store)


def _create_from(request, institution_id: int, uploaded, fields: UploadFieldsIn):
    try:
        evidence = services.evidence_upload(
            actor=request.auth,
            institution_id=institution_id,
            uploaded=uploaded,
            **fields.model_dump(),
        )
    except Conflict as error:
        if "existing" in error.extra:
            return _duplicate(error)
        raise
    return Status(201, _detail(request.auth, evidence.pk))


# --- one item --------------------------------------------------------------------------------


@router.get(
    "/evidence/{evidence_id}",
    response={200: EvidenceDetailOut, **READ_ERRORS},
    summary="Evidence detail",
)
def evidence_detail(request, evidence_id: Id):
    """The description (with its `version`), every file version with its download address
    and change note, where it is used (answers and levels), and the start of its text."""
    return _detail(request.auth, evidence_id)


@router.patch(
    "/evidence/{evidence_id}",
    response={200: EvidenceDetailOut, **WRITE_ERRORS},
    summary="Change the description",
)
def evidence_patch(request, evidence_id: Id, payload: EvidencePatchIn):
    """Change the fields sent (the others stay). `version` is the one you read: if someone
    changed the description since, 409 with their state in `error.current`."""
    selectors.evidence_detail(request.auth, evidence_id)  # 404 if not visible
    fields = payload.model_dump(exclude_unset=True, exclude={"version"})
    for text in ("title", "document_number", "url", "access_notes"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    if fields.get("kind") is None:
        fields.pop("kind", None)
    services.evidence_update(
        actor=request.auth, evidence_id=evidence_id, expected_version=payload.version, **fields
    )
    return _detail(request.auth, evidence_id)


@router.post(
    "/evidence/{evidence_id}/versions",
    response={201: VersionOut, **WRITE_ERRORS, 400: ErrorOut, 411: ErrorOut, 413: ErrorOut},
    summary="Upload a new version",
    openapi_extra=VERSION_BODY,
)
def evidence_new_version(request, evidence_id: Id):
    """A new file for the evidence (multipart: `file`, `version`, `change_note`; or the file
    as the raw body, named in Content-Disposition, with `version` and `change_note` in the
    query string); the older versions stay downloadable."""
    detail = selectors.evidence_detail(request.auth, evidence_id)  # 404 if not visible
    store = partial(_new_version_from, request, evidence_id)
    return _received(request, detail.access, NewVersionFieldsIn, store)


def _new_version_from(request, evidence_id: int, uploaded, fields: NewVersionFieldsIn):
    version = services.evidence_add_version(
        actor=request.auth,
        evidence_id=evidence_id,
        expected_version=fields.version,
        uploaded=uploaded,
        change_note=fields.change_note,
    )
    version = EvidenceVersion.objects.select_related("file", "uploaded_by").get(pk=version.pk)
    return Status(201, _version(version))


@router.get(
    "/evidence/versions/{version_id}/download",
    response={200: None, **READ_ERRORS},
    summary="Download a version's file",
)
def evidence_download(request, version_id: Id):
    """The file's bytes, as an attachment with its original name and stored content type."""
    return download_response(selectors.version_for_download(request.auth, version_id))


# --- answers ---------------------------------------------------------------------------------


@router.put(
    "/answers/{answer_id}/evidence/{evidence_id}",
    response={200: LinkLevelsOut, **WRITE_ERRORS},
    summary="Link evidence at levels",
)
def answer_evidence_put(request, answer_id: Id, evidence_id: Id, payload: LevelsIn):
    """Let the evidence support the answer at exactly these levels (links at other levels of
    this answer are removed). Needs the right to edit the answer."""
    levels = services.evidence_set_levels(
        actor=request.auth, answer_id=answer_id, evidence_id=evidence_id, levels=payload.levels
    )
    return {"answer_id": answer_id, "evidence_id": evidence_id, "levels": levels}


@router.delete(
    "/answers/{answer_id}/evidence/{evidence_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Unlink evidence",
)
def answer_evidence_delete(request, answer_id: Id, evidence_id: Id, level: SmallInt | None = None):
    """Remove the evidence from the answer: at every level, or only at `?level=`."""
    services.evidence_unlink(
        actor=request.auth, answer_id=answer_id, evidence_id=evidence_id, level=level
    )
    return Status(204, None)


@router.get(
    "/answers/{answer_id}/readiness",
    response={200: ReadinessOut, **READ_ERRORS},
    summary="Readiness checks",
)
def answer_readiness(request, answer_id: Id):
    """What an assessor would likely reject in the answer's evidence - each check with a code,
    a severity and a message saying what to do - and the per-level checklist of expected
    evidence with what is linked."""
    evaluation_selectors.answer_for_user(request.auth, answer_id)  # 404 if not visible
    result = readiness.answer_readiness(answer_id)
    return {
        "answer_id": answer_id,
        "claimed": result.claimed,
        "ready": result.ready,
        "checks": [
            {
                "code": check.code,
                "severity": check.severity,
                "severity_label": str(check.severity_label),
                "message": check.message,
                "levels": list(check.levels),
                "evidence_ids": list(check.evidence_ids),
            }
            for check in result.checks
        ],
        "checklist": [
            {
                "level": item.level,
                "name": item.name,
                "expected": item.expected,
                "claimed": item.claimed,
                "present": item.present,
                "evidence": [{"id": e.pk, "title": e.title} for e in item.evidence],
            }
            for item in result.checklist
        ],
    }
