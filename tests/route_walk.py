"""Walking every page route and every API operation with chosen parameter values: for the
tests that hold a rule over the whole site (no existence oracle, no 500 on a huge number).

Pages come from Django's URL resolver (the API and the admin apart), API operations from the
OpenAPI document the app serves, so a new route is walked without anyone listing it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETER = re.compile(r"<(?:(?P<converter>[^:>]+):)?(?P<name>\w+)>")
API_PARAMETER = re.compile(r"\{(?P<name>[^}]+)\}")
SKIPPED_PREFIXES = ("api/v1/", "admin/")


@dataclass
class PageRoute:
    route: str  # e.g. "periode/<id:period_id>/"
    name: str  # namespace:name
    parameters: list[tuple[str, str]] = field(default_factory=list)  # (converter, name)

    def url(self, values: dict[str, str]) -> str:
        return "/" + PARAMETER.sub(lambda m: values[m["name"]], self.route)


def page_routes(resolver=None, prefix: str = "", namespace: str = "") -> list[PageRoute]:
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = getattr(pattern.pattern, "_route", None)
        if route is None:  # regex patterns: only the admin's
            continue
        full = prefix + str(route)
        if full.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += page_routes(pattern, full, inner)
        elif isinstance(pattern, URLPattern):
            parameters = [(m["converter"] or "str", m["name"]) for m in PARAMETER.finditer(full)]
            routes.append(PageRoute(full, f"{namespace}{pattern.name}", parameters))
    return routes


@dataclass
class ApiOperation:
    method: str
    path: str  # e.g. "/api/v1/periods/{period_id}"
    spec: dict  # the operation in the OpenAPI document
    document: dict  # the whole document (for $ref)

    def parameters(self, where: str) -> list[dict]:
        return [p for p in self.spec.get("parameters", []) if p.get("in") == where]

    def url(self, values: dict[str, str]) -> str:
        return API_PARAMETER.sub(lambda m: str(values[m["name"]]), self.path)

    @property
    def body_types(self) -> list[str]:
        return list(self.spec.get("requestBody", {}).get("content", {}))

    def json_body(self) -> dict | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return None
        return example_of(content["application/json"]["schema"], self.document)


def api_operations() -> list[ApiOperation]:
    from monev.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = []
    for path, item in document["paths"].items():
        for method, spec in item.items():
            operations.append(ApiOperation(method, path, spec, document))
    return operations


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def example_of(schema: dict, document: dict, depth: int = 0):
    """A value the schema accepts, built from its examples, defaults and types (required
    fields only), so that a walked call gets past the parser to the handler."""
    schema = _resolve(schema, document)
    for key in ("examples", "example", "default"):
        if key in schema:
            value = schema[key]
            return value[0] if key == "examples" and isinstance(value, list) else value
    if "enum" in schema:
        return schema["enum"][0]
    choices = schema.get("anyOf") or schema.get("oneOf")
    if choices:
        non_null = [c for c in choices if _resolve(c, document).get("type") != "null"]
        return example_of((non_null or choices)[0], document, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        return {
            name: example_of(sub, document, depth + 1)
            for name, sub in schema.get("properties", {}).items()
            if name in required and depth < 6
        }
    if kind == "array":
        minimum = schema.get("minItems", 0)
        return [example_of(schema.get("items", {}), document, depth + 1)] * minimum
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "date":
            return "2026-01-01"
        if schema.get("format") == "date-time":
            return "2026-01-01T00:00:00+07:00"
        return "x" * max(1, schema.get("minLength", 1))
    return None


def call(client, operation: ApiOperation, url: str, headers: dict | None = None):
    """One call of the operation with a body its parser accepts where one can be built: a
    JSON example, or for an upload a small CSV file."""
    headers = headers or {}
    method = operation.method.lower()
    if "application/json" in operation.body_types:
        body = json.dumps(operation.json_body())
        return getattr(client, method)(url, body, content_type="application/json", headers=headers)
    if "multipart/form-data" in operation.body_types and method == "post":
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("data.csv", b"Indikator,Tingkat\n1,3\n", "text/csv")
        return client.post(url, {"file": upload, "dry_run": "true"}, headers=headers)
    return getattr(client, method)(url, headers=headers)
