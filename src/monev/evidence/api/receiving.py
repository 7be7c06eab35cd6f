"""How the evidence API reads a request: a JSON or form body checked against its schema, and a
file upload - multipart or the raw body - as it is documented in OpenAPI and as it is received
(413 for a file over the limit, 409 with `error.existing` for one already in the library)."""

from __future__ import annotations

from contextlib import closing

import pydantic
from django.utils.translation import gettext_lazy as _
from ninja import Schema, Status
from ninja.errors import ValidationError

from monev.evidence.api.schemas import (
    DuplicateOut,
    LinkEvidenceIn,
    NewVersionFieldsIn,
    UploadFieldsIn,
)
from monev.evidence.storage import refusal
from monev.evidence.uploads import is_raw_body, receive_body
from monev.institutions.access import require
from monev.institutions.permissions import Capability
from monev.lib.api_schemas import WRITE_ERRORS, ErrorOut
from monev.lib.errors import Conflict, InvalidInput


def parse(schema: type[Schema], data: dict, where: str):
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


def is_json(request) -> bool:
    return request.content_type == "application/json"


def duplicate(error: Conflict):
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


def received(request, access, schema: type[Schema], store):
    """`store(uploaded, fields)` with the file and its description (`schema`), whichever way
    they came: a raw body (the description in the query string; the body is read only once
    the caller may upload and the description is valid) or a multipart form (413 if the
    upload handler skipped the file)."""
    if is_raw_body(request):
        require(access, Capability.MANAGE_EVIDENCE)  # before reading the body
        fields = parse(schema, _query_data(request), "query")
        with closing(receive_body(request)) as uploaded:  # deleted unless storage moved it
            return store(uploaded, fields)
    if (too_large := _too_large(request)) is not None:
        return too_large
    fields = parse(schema, _form_data(request), "form")
    return store(_file(request), fields)


def _file(request):
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise InvalidInput(
            _("Send the file as the multipart field `file`."),
            details=[{"location": "file", "message": str(_("Required."))}],
        )
    return uploaded


# --- the upload request in the OpenAPI document ----------------------------------------------

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
