"""Reaching an action item by its id (planning.selectors.action_item_for, used by the item
pages and API handlers): the query reads only the user's institutions, another institution's
item answers as a missing id does, and the capability is checked before any change."""

from __future__ import annotations

import pytest
from django.urls import reverse
from planning_support import planned, ready

from api_support import Api
from monev.institutions.permissions import Capability
from monev.lib.errors import Forbidden, NotFound
from monev.planning import selectors, services
from monev.planning.models import ActionItem

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
MISSING = 10**6


@pytest.fixture
def item(world) -> ActionItem:
    ready(world)
    return planned(world).items.filter(unit__code="A").first()


def refusal(user, item_id: int, capability=None) -> str:
    with pytest.raises(NotFound) as caught:
        selectors.action_item_for(user, item_id, capability)
    return str(caught.value.message)


def test_another_institutions_item_is_not_found_with_the_message_of_a_missing_one(world, item):
    for capability in (None, Capability.EDIT_ANSWER, Capability.MANAGE_PERIOD):
        seen = refusal(world.outsider, item.pk, capability)
        assert seen == refusal(world.outsider, item.pk + MISSING, capability)
        assert seen == refusal(world.koordinator, item.pk + MISSING, capability)
    api = Api.token(world.outsider)
    for method, path, data in [
        ("post", "/action-items/{}/done", {}),
        ("put", "/action-items/{}/unit", {"unit_id": world.unit_b.pk}),
    ]:
        seen = api.call(method, path.format(item.pk), data)
        missing = api.call(method, path.format(item.pk + MISSING), data)
        assert seen.status_code == missing.status_code == 404
        assert seen.content == missing.content
    assert ActionItem.objects.get(pk=item.pk).version == 1


def test_another_institutions_item_is_never_loaded(world, item, django_assert_num_queries):
    # One query, and it finds nothing: the user's access is never even asked for.
    with django_assert_num_queries(1), pytest.raises(NotFound):
        selectors.action_item_for(world.outsider, item.pk, Capability.EDIT_ANSWER)


def test_a_unit_operator_without_the_capability_is_refused(client, world, item):
    with pytest.raises(Forbidden):
        selectors.action_item_for(world.operator, item.pk, Capability.MANAGE_PERIOD)
    with pytest.raises(Forbidden):
        selectors.action_item_for(world.pimpinan, item.pk, Capability.EDIT_ANSWER)
    reassign = reverse("planning:item_reassign", args=[item.pk])
    client.force_login(world.operator)
    data = {"unit": world.unit_b.pk, "version": 1}
    assert client.post(reassign, data, headers=HTMX).status_code == 403
    api = Api.token(world.operator)
    assert api.put(f"/action-items/{item.pk}/unit", {"unit_id": world.unit_b.pk}).status_code == 403
    assert ActionItem.objects.get(pk=item.pk).unit == world.unit_a


def test_an_operator_of_another_unit_does_not_find_the_item(client, world, item):
    assert refusal(world.operator_b, item.pk) == refusal(world.operator_b, item.pk + MISSING)
    client.force_login(world.operator_b)
    for name in ("item_done", "item_reassign"):
        url = reverse(f"planning:{name}", args=[item.pk])
        assert client.post(url, {"unit": world.unit_b.pk, "version": 1}).status_code == 404


def test_the_koordinator_gets_the_item_its_period_and_access_in_two_queries(
    world, item, django_assert_num_queries
):
    with django_assert_num_queries(2):
        found, period, access = selectors.action_item_for(
            world.koordinator, item.pk, Capability.MANAGE_PERIOD
        )
        assert (found, period) == (item, world.period)
        assert period.institution == world.institution and found.answer.indicator
    assert access.can(Capability.MANAGE_PERIOD)


def test_an_operator_responsible_for_the_answer_can_mark_an_item_of_another_unit_done(
    client, world, item
):
    # The answer stays with unit A; the item goes to unit B. Like the service, the getter
    # lets unit A's operator reach it, and the row comes back though their list omits it.
    services.action_item_reassign(actor=world.koordinator, item_id=item.pk, unit_id=world.unit_b.pk)
    found, _period, _access = selectors.action_item_for(
        world.operator, item.pk, Capability.EDIT_ANSWER
    )
    assert found.unit == world.unit_b
    client.force_login(world.operator)
    done = reverse("planning:item_done", args=[item.pk])
    response = client.post(done, {"version": 2}, headers=HTMX)
    assert response.status_code == 200
    assert f'id="action-item-{item.pk}"' in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.DONE
