"""GET /api/v1/periods/{id}/leader-summary: the page's figures as JSON (the same selector),
documented in OpenAPI, with the page's permissions and a constant number of queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from leader_support import grow, ready, summary_of

from api_support import BASE, Api
from monev.core.numbers import exact_str
from monev.institutions.clock import set_clock

pytestmark = pytest.mark.django_db

STORY_DAY = datetime(2025, 8, 25, 3, 0, tzinfo=UTC)


@pytest.fixture
def on_story_day(world):
    set_clock(world.institution, STORY_DAY)
    return world


def leader(user, world):
    response = Api.token(user).get(f"/periods/{world.period.pk}/leader-summary")
    assert response.status_code == 200, response.content
    return response.json()


def test_it_gives_the_index_the_target_last_year_and_why_they_differ(on_story_day):
    world = on_story_day
    ready(world)
    body = leader(world.pimpinan, world)
    now = body["now"]
    assert (now["stage"], now["index"], now["index_exact"], now["predicate"]) == (
        "self",
        "2.87",
        "2.87",
        "Baik",
    )
    assert (now["given"], now["total"]) == (47, 47)
    assert body["target"] == {"index": "3.20", "predicate": "Baik", "gap": "0.33", "reached": False}
    last = body["last_year"]
    assert (last["year"], last["source"], last["stage"], last["index"], last["change"]) == (
        2024,
        "published",
        "final",
        "2.75",
        "0.12",
    )
    assert [d["code"] for d in body["differences"]] == ["not_final", "stage"]
    assert len(body["sentences"]) == 3
    shares = [p["share"] for p in body["gap_parts"]]
    assert shares and shares[0] >= shares[-1]


def test_the_api_states_the_same_numbers_as_the_page(client, on_story_day):
    world = on_story_day
    ready(world)
    body = leader(world.pimpinan, world)
    client.force_login(world.pimpinan)
    html = client.get(reverse("reports:leader", args=[world.period.pk])).content.decode()
    figure = lambda name: re.search(rf'data-figure="{name}">([^<]+)<', html)[1]  # noqa: E731
    as_shown = lambda text: text.replace(".", ",")  # noqa: E731 - Bahasa Indonesia's comma
    assert figure("index") == as_shown(body["now"]["index"])
    assert figure("target") == as_shown(body["target"]["index"])
    assert figure("last-year") == as_shown(body["last_year"]["index"])
    assert as_shown(body["target"]["gap"]) in figure("gap")
    # The same steps, in the same order, and the same units behind.
    gain_ids = re.findall(r'<li class="leader-gain[^"]*" id="gain-(\d+)"', html)
    page_items = [int(pk) for pk in gain_ids]
    assert page_items == [gain["item_id"] for gain in body["gains"]]
    assert len(page_items) == 10
    for unit in body["behind"]:
        assert unit["name"] in html
    # And the same sentences, in the language asked for.
    assert body["sentences"] == summary_of(world, language="id").sentences


def test_a_gain_carries_its_step_unit_due_date_and_state(on_story_day):
    world = on_story_day
    ready(world)
    body = leader(world.koordinator, world)
    summary = summary_of(world)
    first, top = body["gains"][0], summary.gains[0]
    assert first["item_id"] == top.item.pk
    assert first["gain"] == exact_str(top.gain)
    assert first["due_date"] == top.item.due_date.isoformat()
    assert first["status"] == "open" and first["overdue"] is True
    assert first["unit"] == (top.item.unit.name if top.item.unit else None)
    assert body["plan"]["steps"] == len(summary.steps) and body["plan"]["overdue"] > 0


def test_without_a_plan_the_plan_is_null_and_there_are_no_gains(on_story_day):
    world = on_story_day
    ready(world, with_plan=False)
    body = leader(world.pimpinan, world)
    assert body["plan"] is None and body["gains"] == []
    assert body["plan_url"] == f"/api/v1/periods/{world.period.pk}/plan"


def test_refusals_answer_the_uniform_error_body(world):
    outsider = Api.token(world.outsider).get(f"/periods/{world.period.pk}/leader-summary")
    assert outsider.status_code == 404
    assert outsider.json()["error"]["code"] == "not_found"
    anonymous = Api.anonymous().get(f"/periods/{world.period.pk}/leader-summary")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "unauthenticated"


def test_it_is_documented_with_its_schema():
    schema = Client().get(BASE + "/openapi.json").json()
    operation = schema["paths"]["/api/v1/periods/{period_id}/leader-summary"]["get"]
    assert operation["operationId"] == "monev_reports_api_leader_summary"
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert reference.endswith("/LeaderSummaryOut")
    fields = schema["components"]["schemas"]["LeaderSummaryOut"]["properties"]
    for name in ("now", "target", "last_year", "differences", "sentences", "gains", "behind"):
        assert name in fields


def test_it_runs_as_many_queries_however_much_data(on_story_day, django_assert_num_queries):
    world = on_story_day
    ready(world)
    api = Api.token(world.pimpinan)
    url = f"/periods/{world.period.pk}/leader-summary"
    api.get(url)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        assert api.get(url).status_code == 200
    grow(world)
    with django_assert_num_queries(len(small)):
        assert api.get(url).status_code == 200
