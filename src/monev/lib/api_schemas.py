"""Schemas the API routers share: references to institutions and units, and the one error
shape, documented on every endpoint."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, get_type_hints

from ninja import Field, Query, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AwareDatetime, BeforeValidator, PlainValidator, WithJsonSchema

from monev.core.numbers import NotExact, parse_value

# --- input types whose parsing agrees exactly with what the OpenAPI document says ------------
# pydantic alone would also take "1e2", " 3", or a number of seconds for a date-time; the
# document would not say so, and a client reading it could not know.

DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"
# Years 1970-2999: older dates may fall in local mean time (offsets in seconds), not RFC 3339.
DATE_PATTERN = r"^(19[7-9]\d|2\d{3})-\d{2}-\d{2}$"


def _decimal_text(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(DECIMAL_PATTERN, value):
        raise ValueError("a decimal number such as 3 or 2.5")
    if isinstance(value, bool):
        raise ValueError("a decimal number such as 3 or 2.5")
    return value


def _date_text(value: Any) -> Any:
    if not isinstance(value, date) and (
        not isinstance(value, str) or not re.fullmatch(DATE_PATTERN, value)
    ):
        raise ValueError("a date as YYYY-MM-DD, from 1970")
    return value


def _date_time_text(value: Any) -> Any:
    if not isinstance(value, str | datetime):
        raise ValueError("a date-time as ISO 8601 with a UTC offset")
    return value


DecimalIn = Annotated[
    Decimal,
    BeforeValidator(_decimal_text),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_PATTERN}]}),
]
# An indicator value: a decimal, or a fraction of whole numbers where the instrument keeps values
# exact ("7/6", pemdi-2026); whether the instrument takes it is the services' question.
VALUE_PATTERN = r"^(\d+(\.\d+)?|\d{1,12}/\d{1,12})$"


def _value(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("a decimal number such as 2.5, or a fraction such as 7/6")
    if isinstance(value, str):
        if not re.fullmatch(VALUE_PATTERN, value):
            raise ValueError("a decimal number such as 2.5, or a fraction such as 7/6")
        try:
            return parse_value(value)
        except NotExact as error:
            raise ValueError(str(error)) from None
    if isinstance(value, float):
        value = Decimal(repr(value))  # as the JSON text wrote it
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError("a decimal number such as 2.5, or a fraction such as 7/6")
    return result


ValueIn = Annotated[
    Decimal,
    PlainValidator(_value),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": VALUE_PATTERN}],
            "description": "a decimal (up to ten places where the instrument keeps values "
            "exact), or a fraction such as 7/6",
        }
    ),
]
DateIn = Annotated[
    date,
    BeforeValidator(_date_text),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
DateTimeIn = Annotated[
    AwareDatetime,
    BeforeValidator(_date_time_text),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def choice_in(values, aliases: Mapping[str, str], *, what: str, description: str = "") -> Any:
    """An input taking one of `values`, or one of `aliases`, old names of them: deprecated,
    accepted for now and read as the value they name (the handler only ever sees `values`).
    The OpenAPI document lists both and says which is which, after `description` (give the
    field's description here: a Field's own would replace it). Made for the stored values
    that changed from Indonesian to English (issue 16; monev.evaluations.legacy)."""
    allowed = [str(value) for value in values]
    aliases = {old: str(new) for old, new in aliases.items()}

    def _choice(value: Any) -> str:
        if isinstance(value, str):
            if value in allowed:
                return value
            if value in aliases:
                return aliases[value]
        raise ValueError(f"{what}: one of {', '.join(v or '(empty)' for v in allowed)}")

    old = ", ".join(f"{name} (= {new})" for name, new in aliases.items())
    note = (
        f"One of {', '.join(repr(v) for v in allowed)}. Deprecated, still accepted for now: "
        f"the old values {old}."
    )
    schema = {
        "type": "string",
        "enum": [*allowed, *aliases],
        "description": f"{description.rstrip('.')}. {note}" if description else note,
        "x-deprecated-values": aliases,
    }
    return Annotated[str, PlainValidator(_choice), WithJsonSchema(schema)]


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


# --- bounded integers: every integer in a path or a query uses one of these --------------------
# pydantic's int has no bounds, and a number beyond what the database holds reached it: SQLite
# raised OverflowError ("Python int too large to convert to SQLite INTEGER"), PostgreSQL
# "bigint out of range" - a 500, or the engine's words in a 422. Bounded here, the parser
# answers 422 `invalid_request` naming the parameter and its range, before any query runs; the
# OpenAPI document states the same range. tests/web/test_huge_integers.py walks every operation.

MAX_ID = 2**63 - 1  # the databases' integer keys (BigAutoField)
MAX_OFFSET = 2**31 - 1  # far past any list; offset + limit stays a valid LIMIT/OFFSET everywhere
MAX_SMALL = 32767  # a level, a position: small integer columns

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
SmallInt = Annotated[int, Field(ge=0, le=MAX_SMALL)]
Version = Annotated[int, Field(ge=0, le=MAX_ID)]  # of a row, as read; 0: none expected

# Query parameters the round and queue pages share: a year an evaluation can have, a page number.
YEAR_QUERY = Query(None, ge=2000, le=2100, description="the evaluation year", examples=[2026])
PAGE_QUERY = Query(None, ge=1, le=100_000, description="page number, from 1")
ID_QUERY = Query(None, ge=1, le=MAX_ID, description="an id, as the API gives it")
OFFSET_QUERY = Query(0, ge=0, le=MAX_OFFSET, description="items to skip, from 0")


def resolved(function):
    """The function with its annotations evaluated in its own module: under `@paginate` ninja
    reads them from the wrapper, whose module knows nothing of `Id` (postponed annotations
    are text). Put it below `@paginate`."""
    function.__annotations__ = get_type_hints(function, include_extras=True)
    return function


class Paged(LimitOffsetPagination):
    """django-ninja's limit/offset pagination with both bounded (its offset has no upper
    bound, its limit none unless set): `@paginate(Paged)`."""

    MAX_LIMIT = 500

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="at most 500")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip, from 0")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=self.MAX_LIMIT, **kwargs)
