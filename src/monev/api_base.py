"""The NinjaAPI of /api/v1/ with one error shape everywhere, including where django-ninja
itself answers outside the handlers: an unknown path (404), a method the path does not have
(405), a body of a type the operation does not read (415). Its OpenAPI document lists, on
every operation, the errors it can answer, all with the same body.

The handlers for errors raised inside operations live in monev/api.py.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from monev.lib.api_schemas import ErrorOut

JSON = "application/json"
OCTET_STREAM = "application/octet-stream"
WRITE_METHODS = {"POST", "PUT", "PATCH"}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def error_json(status: int, code: str, message: str, details: list | None = None) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return HttpResponse(json.dumps(body), status=status, content_type=f"{JSON}; charset=utf-8")


def _not_found(request: HttpRequest, unmatched: str = "") -> HttpResponse:
    return error_json(
        404, "not_found", _("There is no API address %(path)s.") % {"path": request.path}
    )


def _as_uniform(response: HttpResponse, method: str) -> HttpResponse:
    """A non-JSON error answered by the framework (e.g. 405) as the one error body."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(JSON):
        return response
    status = response.status_code
    messages = {
        405: _("This address does not take %(method)s; it takes %(allowed)s."),
    }
    allowed = response.get("Allow", "")
    message = messages.get(status, _("The request cannot be answered.")) % {
        "method": method,
        "allowed": allowed,
    }
    uniform = error_json(status, CODES_BY_STATUS.get(status, "error"), message)
    if allowed:
        uniform["Allow"] = allowed
    return uniform


def _content_types(operations: list) -> dict[str, set[str]]:
    """Per HTTP method, the request body types its operation reads (none: no body read)."""
    accepted: dict[str, set[str]] = {}
    for operation in operations:
        extra = (operation.openapi_extra or {}).get("requestBody", {}).get("content")
        if extra:
            types = set(extra)
        else:
            sources = {getattr(m, "__ninja_param_source__", None) for m in operation.models}
            types = set()
            if "body" in sources:
                types.add(JSON)
            if sources & {"form", "file"}:
                types |= {"multipart/form-data", "application/x-www-form-urlencoded"}
        for method in operation.methods:
            accepted[method] = types
    return accepted


def _has_nul(request: HttpRequest) -> bool:
    if any("\x00" in value for _key, values in request.GET.lists() for value in values):
        return True
    return request.content_type == JSON and b"\\u0000" in request.body


def _out_of_range(value: Any, location: str = "body") -> str | None:
    """Where a JSON body holds an integer no database column can (the first one), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = INTEGER_RANGE["minimum"], INTEGER_RANGE["maximum"]
        return None if low <= value <= high else location
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, inner in items:
        if found := _out_of_range(inner, f"{location}.{key}"):
            return found
    return None


def _integer_out_of_range(request: HttpRequest) -> HttpResponse | None:
    """422 for a JSON body with an integer beyond 64 bits: the document states that range for
    every integer it reads, and pydantic's int alone would pass it to the database (SQLite:
    OverflowError; PostgreSQL: "bigint out of range")."""
    if request.content_type != JSON or not request.body:
        return None
    try:
        body = json.loads(request.body)
    except ValueError:
        return None  # not JSON: the parser answers 400
    location = _out_of_range(body)
    if location is None:
        return None
    message = _("An integer must lie between %(minimum)s and %(maximum)s.") % INTEGER_RANGE
    return error_json(
        422,
        "invalid_request",
        _("The request is not valid."),
        [{"location": location, "message": message}],
    )


def _uniform_view(view, accepted: dict[str, set[str]]):
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        types = accepted.get(request.method or "", set())
        has_body = request.headers.get("Content-Length", "0") not in ("", "0")
        # application/octet-stream: the body is a file of any type (the raw-body upload).
        refused = request.content_type not in types and OCTET_STREAM not in types
        if request.method in WRITE_METHODS and types and has_body and refused:
            return error_json(
                415,
                "unsupported_media_type",
                _("Send the body as %(types)s.") % {"types": ", ".join(sorted(types))},
            )
        try:
            has_nul = _has_nul(request)
        except RequestDataTooBig:
            return error_json(413, "too_large", _("The request body is over the size limit."))
        if has_nul:
            # PostgreSQL text cannot hold it (SQLite can): refused alike on both.
            return error_json(422, "invalid_input", _("Text cannot contain the NUL character."))
        if refusal := _integer_out_of_range(request):
            return refusal
        return _as_uniform(view(request, *args, **kwargs), request.method or "")

    return wrapper


class MonevApi(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """monev_<app>_api_<handler>, wherever in the app's api package the handler lives:
        clients generated from the OpenAPI document keep their method names when a long api
        module is split into a package."""
        module = operation.view_func.__module__
        parts = module.split(".")
        if len(parts) > 3 and parts[0] == "monev" and parts[2] == "api":
            module = ".".join(parts[:3])
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def _get_urls(self):
        urls = super()._get_urls()
        wrapped = []
        for pattern in urls:
            path_view = _path_view_of(pattern.callback)
            if path_view is not None:
                accepted = _content_types(path_view.operations)
                pattern.callback = _uniform_view(pattern.callback, accepted)
            wrapped.append(pattern)
        wrapped.append(re_path(r"^(?P<unmatched>.*)$", _not_found, name="not-found"))
        return wrapped

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        one_key_per_status(schema)
        document_errors(schema)
        forms_without_nulls(schema)
        bound_integers(schema)
        return schema


def _path_view_of(view):
    """The ninja PathView a URL pattern's view belongs to (its closure holds it)."""
    for cell in getattr(view, "__closure__", None) or ():
        owner = cell.cell_contents
        if hasattr(owner, "operations") and hasattr(owner, "get_view"):
            return owner
    return None


ERROR_DESCRIPTIONS = {
    400: "The body is not valid JSON (or not a valid form).",
    401: "No valid token and no signed-in session.",
    403: "The caller's role does not allow this, or the session's CSRF token is missing.",
    404: "Not found, or not visible to the caller.",
    409: "A stale version, a state that does not allow this, or a passed deadline.",
    413: "The body or file is over the size limit.",
    415: "The body is of a type this operation does not read.",
    422: "The input is not valid; `details` says where.",
}


def one_key_per_status(schema: dict) -> None:
    """Merges a status given as text by `openapi_extra` ("200": a file's content types) into
    ninja's numeric one: both would become the same JSON key twice, which YAML parsers (the
    /api/v1/docs page's among them) refuse as a duplicated mapping key."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            for key in [key for key in responses if isinstance(key, str) and key.isdigit()]:
                responses[int(key)] = {**responses.get(int(key), {}), **responses.pop(key)}


def document_errors(schema: dict) -> None:
    """Every operation lists the errors it can answer, all with the one error body."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            statuses = _possible_errors(operation)
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(
                    status,
                    {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {JSON: {"schema": ERROR_REF}},
                    },
                )


def forms_without_nulls(schema: dict) -> None:
    """A form field cannot be null - it is sent or left out - so a form's fields drop the
    `null` that the shared pydantic schemas allow (left out means the default)."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content", {})
            form = content.get("multipart/form-data", {}).get("schema", {})
            for name, field in form.get("properties", {}).items():
                choices = field.get("anyOf")
                if choices and {"type": "null"} in choices:
                    kept = [c for c in choices if c != {"type": "null"}]
                    rest = {k: v for k, v in field.items() if k != "anyOf"}
                    form["properties"][name] = (
                        {**rest, **kept[0]}
                        if len(kept) == 1
                        else {
                            **rest,
                            "anyOf": kept,
                        }
                    )


# The range of the databases' integer columns: a number outside it cannot name anything, and
# is refused (422) rather than sent to the database.
INTEGER_RANGE = {"minimum": -(2**63), "maximum": 2**63 - 1}


def _bound(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer":
            for key, value in INTEGER_RANGE.items():
                node.setdefault(key, value)
        for value in node.values():
            _bound(value)
    elif isinstance(node, list):
        for value in node:
            _bound(value)


def _references(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.add(node["$ref"].rsplit("/", 1)[-1])
        for value in node.values():
            _references(value, found)
    elif isinstance(node, list):
        for value in node:
            _references(value, found)


def bound_integers(schema: dict) -> None:
    """Every integer the API reads - in a path, a query or a body, however deep - says its
    range (the explicit bounds of api_schemas' types stay; the rest get 64 bits, which
    `_integer_out_of_range` enforces for bodies)."""
    components = schema.get("components", {}).get("schemas", {})
    read: set[str] = set()
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            _bound(operation.get("parameters", []))
            _bound(operation.get("requestBody", {}))
            _references(operation.get("parameters", []), read)
            _references(operation.get("requestBody", {}), read)
    pending = set(read)
    while pending:  # the components a read component refers to are read too
        name = pending.pop()
        found: set[str] = set()
        _references(components.get(name, {}), found)
        pending |= found - read
        read |= found
    for name, component in components.items():
        if name.endswith("In") or name in read:
            _bound(component)


def _possible_errors(operation: dict) -> list[int]:
    statuses = set()
    body = "requestBody" in operation
    parameters = operation.get("parameters") or []
    if body:
        statuses |= {400, 413, 415, 422}
    if parameters:
        statuses.add(422)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if operation.get("security"):
        statuses.add(401)
    return sorted(statuses)
