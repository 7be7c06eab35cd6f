"""Integers beyond what the database holds, in every id of every page URL and in every
integer parameter and body field of every API operation: a 4xx with a clear message, never a
500 and never the database engine's own words (SQLite: "Python int too large to convert to
SQLite INTEGER"; PostgreSQL: "bigint out of range")."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from api_support import Api
from route_walk import api_operations, call, example_of, page_routes

pytestmark = pytest.mark.django_db

GOOD_PDF = (Path(__file__).parents[1] / "evidence" / "fixtures" / "good.pdf").read_bytes()

HUGE = 99999999999999999999  # 20 digits: past 2**64
# Beyond 64 bits, just beyond, and far below: refused wherever an integer is read.
NUMBERS = [str(HUGE), str(2**63), "-" + str(HUGE)]
ENGINE_WORDING = re.compile(
    r"sqlite|python int|overflow|psycopg|bigint|out of range for|numericvalue|integer out of",
    re.IGNORECASE,
)
OTHER_VALUES = {
    "stage": "document_review",
    "number": "1",
    "indicator": "1",
    "reference": "spbe-2020",
    "kind": "levels",
    "action": "simpan",
}


def _problem(response) -> str | None:
    text = response.content.decode(errors="replace")
    if response.status_code >= 500:
        return f"{response.status_code}: {text[:200]}"
    if not 400 <= response.status_code < 500:
        return f"{response.status_code} (not refused)"
    if match := ENGINE_WORDING.search(text):
        return f"{response.status_code} says {match.group(0)!r}: {text[:200]}"
    return None


def _walk_patterns(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk_patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_no_url_pattern_uses_djangos_unbounded_int_converter():
    """Django's <int:...> matches any number of digits; every id in a URL uses <id:...>."""
    unbounded = [
        str(p.pattern)
        for p in _walk_patterns()
        if any(isinstance(c, IntConverter) for c in getattr(p.pattern, "converters", {}).values())
    ]
    assert unbounded == []


def test_every_page_answers_a_huge_id_with_404(world):
    browser = Client(raise_request_exception=False)
    browser.force_login(world.koordinator)
    routes = [r for r in page_routes() if any(c in ("int", "id") for c, _n in r.parameters)]
    assert len(routes) > 30
    problems = []
    for route in routes:
        for number in NUMBERS[:2]:
            values = {**OTHER_VALUES, **{n: "1" for c, n in route.parameters if c == "id"}}
            for converter, name in route.parameters:
                if converter in ("int", "id"):
                    url = route.url({**values, name: number})
                    for method in ("get", "post"):
                        response = getattr(browser, method)(url)
                        if response.status_code != 404:
                            problems.append(f"{method.upper()} {url}: {_problem(response)}")
    assert problems == [], "\n".join(problems)


PAGE_QUERIES = [
    ("evidence:library", "?period_id={n}"),
    ("evidence:library", "?unit_id={n}"),
    ("evidence:library", "?page={n}"),
    ("evaluations:audit", "?page={n}"),
    ("evaluations:overview", "?unit={n}"),
    ("benchmarking:progress", "?page={n}"),
    ("benchmarking:progress", "?year={n}"),
    ("benchmarking:rankings", "?page={n}"),
    ("benchmarking:peers", "?year={n}"),
    ("assignments:board", "?year={n}&page={n}"),
    ("assessor:queue", "?institution_id={n}&year={n}"),
    ("monitoring:forecast", "?as_of={n}"),
]


def test_a_huge_number_in_a_pages_query_string_is_no_error(world):
    from django.urls import reverse

    world.koordinator.evaluator_scope = "nasional"
    world.koordinator.save()
    browser = Client(raise_request_exception=False)
    browser.force_login(world.koordinator)
    ids = {
        "period_id": world.period.pk,
        "institution_id": world.institution.pk,
    }
    problems = []
    for name, query in PAGE_QUERIES:
        route = next(r for r in page_routes() if r.name == name)
        url = reverse(name, kwargs={n: ids[n] for _c, n in route.parameters})
        # "²" is a digit to str.isdigit() and no number to int().
        for number in [*NUMBERS, str(2**31), "²"]:
            response = browser.get(url + query.format(n=number))
            if response.status_code >= 500 or ENGINE_WORDING.search(response.content.decode()):
                problems.append(f"{url + query.format(n=number)}: {_problem(response)}")
    assert problems == [], "\n".join(problems)


def test_the_assignment_form_answers_a_huge_period_with_404(world):
    world.koordinator.evaluator_scope = "nasional"
    world.koordinator.save()
    browser = Client(raise_request_exception=False)
    browser.force_login(world.koordinator)
    for number in [*NUMBERS, "²"]:
        response = browser.post("/evaluasi-nasional/penugasan/tetapkan/", {"period": number})
        assert response.status_code == 404, _problem(response)


def test_a_superscript_digit_in_a_posted_number_is_no_error(world):
    browser = Client(raise_request_exception=False)
    browser.force_login(world.koordinator)
    answer = world.answer("1")
    evidence_unlink = f"/data-dukung/jawaban/{answer.pk}/lepas/1/"
    record = f"/nilai-eksternal/instansi/{world.institution.pk}/catat/"
    for url, data in (
        (evidence_unlink, {"level": "²"}),
        (f"/jawaban/{answer.pk}/items/", {"version": "²", "stage": "document_review"}),
        (record, {"indicator": "5", "data_year": "²", "source_value": "1"}),
    ):
        response = browser.post(url, data)
        assert response.status_code < 500, (url, _problem(response))


def test_the_evidence_list_refuses_a_huge_offset_with_a_clear_message(world):
    api = Api.token(world.koordinator, raise_request_exception=False)
    response = api.get(f"/institutions/{world.institution.pk}/evidence", offset=str(HUGE))
    assert response.status_code == 422, _problem(response)
    [detail] = response.json()["error"]["details"]
    assert detail["location"] == "query.offset"
    assert not ENGINE_WORDING.search(response.content.decode())


def test_every_api_integer_parameter_refuses_a_huge_number(world):
    api = Api.token(world.koordinator, raise_request_exception=False)
    raw_headers = {**api.headers, "Content-Disposition": "attachment; filename=good.pdf"}
    problems = []
    operations = api_operations()
    walked = 0
    for operation in operations:
        path_names = [p["name"] for p in operation.parameters("path")]
        base = {n: OTHER_VALUES.get(n, "1") for n in path_names}
        integers = [
            (p["in"], p["name"])
            for p in operation.parameters("path") + operation.parameters("query")
            if "integer" in json.dumps(p["schema"])
        ]
        # An upload's query parameters describe a raw-body file (they are read then).
        raw = "application/octet-stream" in operation.body_types
        required = {
            p["name"]: example_of(p["schema"], operation.document)
            for p in operation.parameters("query")
            if p.get("required")
        }
        for where, name in integers:
            walked += 1
            for number in NUMBERS:
                if where == "path":
                    url = operation.url({**base, name: number})
                    response = call(api.client, operation, url, api.headers)
                elif raw:
                    query = urlencode({**required, name: number})
                    url = f"{operation.url(base)}?{query}"
                    response = api.client.post(
                        url, GOOD_PDF, content_type="application/pdf", headers=raw_headers
                    )
                else:
                    url = f"{operation.url(base)}?{name}={number}"
                    response = call(api.client, operation, url, api.headers)
                if problem := _problem(response):
                    problems.append(f"{operation.method.upper()} {url}: {problem}")
                elif response.status_code == 422 and raw and where == "query":
                    # Refused for the number, not for a file or field the walk got wrong.
                    locations = [d["location"] for d in response.json()["error"]["details"]]
                    assert locations == [f"query.{name}"], response.json()
    assert walked > 60
    assert problems == [], "\n".join(problems)


def _integer_fields(value, path=()):
    """Paths to the integers of an example body."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield path
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _integer_fields(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _integer_fields(inner, (*path, index))


def _with(value, path, number):
    if not path:
        return number
    head, *rest = path
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[head] = _with(value[head], rest, number)
    return copy


def test_every_api_integer_body_field_refuses_a_huge_number(world):
    api = Api.token(world.koordinator, raise_request_exception=False)
    problems = []
    walked = 0
    for operation in api_operations():
        body = operation.json_body()
        if body is None:
            continue
        names = [p["name"] for p in operation.parameters("path")]
        url = operation.url({n: OTHER_VALUES.get(n, "1") for n in names})
        for field in _integer_fields(body):
            walked += 1
            for number in (HUGE, -HUGE):
                sent = json.dumps(_with(body, field, number))
                response = getattr(api.client, operation.method.lower())(
                    url, sent, content_type="application/json", headers=api.headers
                )
                if problem := _problem(response):
                    problems.append(f"{operation.method.upper()} {url} {field}: {problem}")
    assert walked > 10
    assert problems == [], "\n".join(problems)
