"""An institution's evidence library through the API: list or search it, and add to it (a file
upload or a link)."""

from __future__ import annotations

import json
from functools import partial

from django.utils.translation import gettext_lazy as _
from ninja import Query, Status

from monev.evidence import search, selectors, services
from monev.evidence.api.receiving import (
    UPLOAD_BODY,
    UPLOAD_ERRORS,
    duplicate,
    is_json,
    parse,
    received,
)
from monev.evidence.api.routers import router
from monev.evidence.api.schemas import (
    EvidenceDetailOut,
    EvidencePageOut,
    KindName,
    LinkEvidenceIn,
    UploadFieldsIn,
)
from monev.evidence.api.shaping import detail_out, evidence_out
from monev.institutions.access import institution_for_user
from monev.lib.api_schemas import OFFSET_QUERY, READ_ERRORS, Id
from monev.lib.errors import Conflict, InvalidInput

MAX_LIMIT = 200


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
        return {"count": queryset.count(), "items": [evidence_out(i) for i in items]}
    ranked = search.evidence_search(
        access, institution_id, q, kind=kind, unit_id=unit_id, limit=offset + limit
    )
    return {"count": len(ranked), "items": [evidence_out(i) for i in ranked[offset:]]}


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
    if is_json(request):
        return _create_link(request, institution_id)
    _institution, access = institution_for_user(request.auth, institution_id)  # 404 first
    store = partial(_create_from, request, institution_id)
    return received(request, access, UploadFieldsIn, store)


def _create_link(request, institution_id: int):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise InvalidInput(_("The body is not valid JSON.")) from None
    payload = parse(LinkEvidenceIn, data if isinstance(data, dict) else {}, "body")
    evidence = services.evidence_create_link(
        actor=request.auth,
        institution_id=institution_id,
        url=payload.url,
        title=payload.title,
        unit_id=payload.unit_id,
        access_notes=payload.access_notes,
        kind=payload.kind,
    )
    return Status(201, detail_out(request.auth, evidence.pk))


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
            return duplicate(error)
        raise
    return Status(201, detail_out(request.auth, evidence.pk))
