"""One evidence item through the API: its detail, its description, a new file version, and a
version's download."""

from __future__ import annotations

from functools import partial

from ninja import Status

from monev.evidence import selectors, services
from monev.evidence.api.receiving import VERSION_BODY, received
from monev.evidence.api.routers import router
from monev.evidence.api.schemas import (
    EvidenceDetailOut,
    EvidencePatchIn,
    NewVersionFieldsIn,
    VersionOut,
)
from monev.evidence.api.shaping import detail_out, version_out
from monev.evidence.downloads import download_response
from monev.evidence.models import EvidenceVersion
from monev.lib.api_schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id


@router.get(
    "/evidence/{evidence_id}",
    response={200: EvidenceDetailOut, **READ_ERRORS},
    summary="Evidence detail",
)
def evidence_detail(request, evidence_id: Id):
    """The description (with its `version`), every file version with its download address
    and change note, where it is used (answers and levels), and the start of its text."""
    return detail_out(request.auth, evidence_id)


@router.patch(
    "/evidence/{evidence_id}",
    response={200: EvidenceDetailOut, **WRITE_ERRORS},
    summary="Change the description",
)
def evidence_patch(request, evidence_id: Id, payload: EvidencePatchIn):
    """Change the fields sent (the others stay). `version` is the one you read: if someone
    changed the description since, 409 with their state in `error.current`."""
    selectors.evidence_detail(request.auth, evidence_id)  # 404 if not visible
    services.evidence_update(
        actor=request.auth,
        evidence_id=evidence_id,
        expected_version=payload.version,
        read_from_text=payload.read_from_text,
        **_changed_fields(payload),
    )
    return detail_out(request.auth, evidence_id)


def _changed_fields(payload: EvidencePatchIn) -> dict:
    """The fields sent, as the service takes them: a text sent as null is emptied, a null
    kind is left as it is."""
    fields = payload.model_dump(exclude_unset=True, exclude={"version", "read_from_text"})
    for text in ("title", "document_number", "url", "access_notes"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    if fields.get("kind") is None:
        fields.pop("kind", None)
    return fields


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
    return received(request, detail.access, NewVersionFieldsIn, store)


def _new_version_from(request, evidence_id: int, uploaded, fields: NewVersionFieldsIn):
    version = services.evidence_add_version(
        actor=request.auth,
        evidence_id=evidence_id,
        expected_version=fields.version,
        uploaded=uploaded,
        change_note=fields.change_note,
    )
    version = EvidenceVersion.objects.select_related("file", "uploaded_by").get(pk=version.pk)
    return Status(201, version_out(version))


@router.get(
    "/evidence/versions/{version_id}/download",
    response={200: None, **READ_ERRORS},
    summary="Download a version's file",
)
def evidence_download(request, version_id: Id):
    """The file's bytes, as an attachment with its original name and stored content type."""
    return download_response(selectors.version_for_download(request.auth, version_id))
