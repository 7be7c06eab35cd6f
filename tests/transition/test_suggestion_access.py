"""Reaching a crosswalk suggestion by its id (transition.selectors.suggestion_for, used by the
accept and reject pages and API answers): the query reads only the user's institutions,
another institution's suggestion answers as a missing id does, and only the coordinator
goes further."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from transition_support import transition_fixture  # noqa: F401  (the `transition` fixture)

from api_support import Api
from monev.institutions.permissions import Access
from monev.lib.errors import Forbidden, NotFound
from monev.transition import selectors, services
from monev.transition.models import CrosswalkSuggestion

pytestmark = pytest.mark.django_db

MISSING = 10**6


@pytest.fixture
def suggestion(transition) -> CrosswalkSuggestion:
    services.suggestions_generate(actor=transition.world.koordinator, period_id=transition.new.pk)
    return CrosswalkSuggestion.objects.filter(period=transition.new).order_by("pk").first()


def page_text(response) -> str:
    """The page without its CSRF tokens (they differ on every render) and the ids."""
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r"/\d+/", "/N/", page)


def refusal(user, suggestion_id: int, **kwargs) -> str:
    with pytest.raises(NotFound) as caught:
        selectors.suggestion_for(user, suggestion_id, **kwargs)
    return str(caught.value.message)


def test_another_institutions_suggestion_is_not_found_with_the_message_of_a_missing_one(
    client, transition, suggestion
):
    world = transition.world
    seen = refusal(world.outsider, suggestion.pk)
    assert seen == refusal(world.outsider, suggestion.pk + MISSING)
    assert seen == refusal(world.koordinator, suggestion.pk + MISSING)
    client.force_login(world.outsider)
    for name in ("accept", "reject"):
        found = client.post(reverse(f"transition:{name}", args=[suggestion.pk]), {"version": 1})
        gone = client.post(reverse(f"transition:{name}", args=[suggestion.pk + MISSING]))
        assert found.status_code == gone.status_code == 404
        assert page_text(found) == page_text(gone)
    api = Api.token(world.outsider)
    base = f"/periods/{transition.new.pk}/crosswalk-suggestions"
    for action in ("accept", "reject"):
        found = api.post(f"{base}/{suggestion.pk}/{action}", {"expected_version": 1})
        gone = api.post(f"{base}/{suggestion.pk + MISSING}/{action}", {"expected_version": 1})
        assert (found.status_code, found.content) == (gone.status_code, gone.content)
    suggestion.refresh_from_db()
    assert suggestion.state == CrosswalkSuggestion.State.PENDING


def test_another_institutions_suggestion_is_never_loaded(
    transition, suggestion, django_assert_num_queries
):
    # One query, and it finds nothing: the user's access is never even asked for.
    with django_assert_num_queries(1), pytest.raises(NotFound):
        selectors.suggestion_for(transition.world.outsider, suggestion.pk)


def test_a_suggestion_asked_for_through_another_period_is_not_found(transition, suggestion):
    koordinator = transition.world.koordinator
    assert refusal(koordinator, suggestion.pk, period_id=transition.old.pk) == refusal(
        koordinator, suggestion.pk + MISSING
    )


@pytest.mark.parametrize("persona", ["operator", "asesor_internal", "pimpinan", "admin"])
def test_a_unit_operator_or_other_member_without_the_capability_is_refused(
    transition, suggestion, persona
):
    with pytest.raises(Forbidden) as caught:
        selectors.suggestion_for(transition.world.personas()[persona], suggestion.pk)
    with pytest.raises(Forbidden) as nobody:
        selectors.require_decider(Access(()))
    assert str(caught.value.message) == str(nobody.value.message)  # "only the coordinator"


def test_the_coordinator_gets_the_suggestion_its_period_and_access_in_two_queries(
    transition, suggestion, django_assert_num_queries
):
    with django_assert_num_queries(2):
        found, period, access = selectors.suggestion_for(
            transition.world.koordinator, suggestion.pk, period_id=transition.new.pk
        )
        assert (found, period) == (suggestion, transition.new)
        assert period.institution == transition.world.institution and found.source_answer
    assert access.can(selectors.DECIDE)
