"""The what-if page and POST /api/v1/periods/{id}/what-if: the engine's numbers for changed
levels, nothing stored, 422 with the engine's message for a bad level."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from planning_support import set_levels

from api_support import Api
from monev.audit.models import AuditEvent
from monev.core.engine import what_if
from monev.evaluations.models import Answer
from monev.evaluations.period_instrument import instrument_of

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def shown(value) -> str:
    """A number as the Indonesian pages show it (decimal comma)."""
    return str(value).replace(".", ",")


def url(world) -> str:
    return reverse("planning:what_if", args=[world.period.pk])


def expected(world, changes: dict[str, str]):
    base = {a.indicator: a.level for a in world.period.answers.all() if a.level is not None}
    return what_if(
        instrument_of(world.period),
        base,
        {k: Decimal(v) for k, v in changes.items()},
        missing="min",
    )


def stored(world):
    return list(Answer.objects.filter(period=world.period).values_list("level", "version"))


def test_it_shows_every_level_with_an_input(client, world):
    set_levels(world, "3")
    client.force_login(world.koordinator)
    html = client.get(url(world)).content.decode()
    assert 'name="level-1"' in html and 'name="level-47"' in html
    assert 'value="3"' in html
    assert 'hx-trigger="change"' in html


def test_it_shows_the_engines_numbers_for_a_changed_level_and_stores_nothing(client, world):
    set_levels(world, "3")
    before, events = stored(world), AuditEvent.objects.count()
    client.force_login(world.koordinator)
    response = client.post(url(world), {"level-1": "5", "level-29": "4"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    result = expected(world, {"1": "5", "29": "4"})
    assert html.lstrip().startswith('<section id="what-if-result"')
    assert f'data-what-if="index">{shown(result.index.after.reported)}<' in html
    assert shown(result.index.before.reported) in html
    assert result.predicate_changed is False or result.after.predicate.name in html
    for change in (*result.domains, *result.aspects):
        assert change.code in html and shown(change.after.reported) in html
    assert stored(world) == before and AuditEvent.objects.count() == events


def test_it_answers_422_with_the_engines_message_in_place(client, world):
    set_levels(world, "3")
    client.force_login(world.koordinator)
    response = client.post(url(world), {"level-1": "7"}, headers=HTMX)
    assert response.status_code == 422
    assert "value 7 is outside the scale 1-5" in response.content.decode()
    response = client.post(url(world), {"level-1": "2.5"}, headers=HTMX)
    assert response.status_code == 422
    assert "is not a whole level" in response.content.decode()
    response = client.post(url(world), {"level-1": "abc"})  # without JavaScript: the page
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="abc"' in html and "is not a number" in html


def test_it_works_without_javascript(client, world):
    set_levels(world, "2")
    client.force_login(world.pimpinan)
    response = client.post(url(world), {"level-1": "4"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'value="4"' in html
    result = expected(world, {"1": "4"})
    assert f'data-what-if="index">{shown(result.index.after.reported)}<' in html


def test_it_shows_an_operator_only_their_units_indicators(client, world):
    set_levels(world, "2")
    client.force_login(world.operator)
    html = client.get(url(world)).content.decode()
    assert 'name="level-1"' in html and 'name="level-6"' not in html
    response = client.post(url(world), {"level-6": "4"}, headers=HTMX)
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("koordinator", 200),
        ("operator", 200),
        ("operator_b", 200),
        ("asesor_internal", 200),
        ("asesor_eksternal", 200),
        ("pimpinan", 200),
        ("admin", 200),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_it_opens_the_page_by_role(client, world, role, status):
    if role != "anonymous":
        client.force_login(world.personas()[role])
    assert client.get(url(world)).status_code == status
    assert client.post(url(world), {"level-5": ""}).status_code == status


def test_it_renders_in_constant_queries(client, world, django_assert_num_queries):
    client.force_login(world.koordinator)
    with django_assert_num_queries(5):
        client.get(url(world))
    set_levels(world, "3")
    with django_assert_num_queries(5):
        client.post(url(world), {"level-1": "5", "level-2": "4"}, headers=HTMX)


# --- the API -----------------------------------------------------------------------------


def api_url(world) -> str:
    return f"/periods/{world.period.pk}/what-if"


def test_the_api_gives_the_engines_exact_numbers(world, django_assert_num_queries):
    set_levels(world, "3")
    api = Api.session(world.koordinator)
    with django_assert_num_queries(5):
        body = api.ok("post", api_url(world), {"levels": {"1": "5", "29": 4}})
    result = expected(world, {"1": "5", "29": "4"})
    assert body["index_after"] == str(result.index.after.reported)
    assert body["index_before"] == str(result.index.before.reported)
    assert body["changed"] == [
        {"number": "1", "before": "3.00", "after": "5"},
        {"number": "29", "before": "3.00", "after": "4"},
    ]
    assert {a["code"] for a in body["aspects"]} == {c.code for c in result.aspects}
    assert body["predicate_after"] == result.after.predicate.name
    assert Answer.objects.filter(period=world.period, level=Decimal(3)).count() == 47


def test_the_api_answers_422_with_the_engines_message(world):
    api = Api.session(world.koordinator)
    response = api.post(api_url(world), {"levels": {"1": "9"}})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["details"] == [{"location": "1", "message": "value 9 is outside the scale 1-5"}]
    response = api.post(api_url(world), {"levels": {"999": "2"}})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("koordinator", 200),
        ("operator", 200),
        ("asesor_eksternal", 200),
        ("pimpinan", 200),
        ("admin", 200),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_the_api_answers_by_role(world, role, status):
    api = Api.anonymous() if role == "anonymous" else Api.token(world.personas()[role])
    assert api.post(api_url(world), {"levels": {"1": "2"}}).status_code == status
