"""Schemas the API routers share: references to institutions and units, and the one error
shape, documented on every endpoint."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class InstitutionRefOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str


class ErrorDetailOut(Schema):
    location: str = Field(description="which input the message is about, e.g. body.level")
    message: str


class ErrorBodyOut(Schema):
    code: str = Field(
        description="not_found, forbidden, unauthenticated, csrf_failed, invalid_request, "
        "invalid_input, conflict, invalid_transition, deadline_passed",
        examples=["conflict"],
    )
    message: str
    details: list[ErrorDetailOut] = []
    current: dict[str, Any] | None = Field(
        None, description="on a conflict: what the other person saved, so nothing is lost"
    )


class ErrorOut(Schema):
    error: ErrorBodyOut


# The errors any authenticated endpoint may answer, for the OpenAPI document.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
