"""How /api/v1/ callers authenticate: a personal token (no CSRF needed) or the browser
session (CSRF needed on unsafe methods); no credentials answer 401."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from api_support import Api
from monev.accounts import services
from monev.accounts.models import ApiToken

COMMENT = {"body": "Mohon dicek"}


def comments_path(world) -> str:
    return f"/answers/{world.answer('1').pk}/comments"


def test_it_accepts_a_token_post_without_csrf(world):
    api = Api.token(world.operator, enforce_csrf_checks=True)
    response = api.post(comments_path(world), COMMENT)
    assert response.status_code == 201
    assert response.json()["author"] == str(world.operator)


def test_it_refuses_a_session_post_without_the_csrf_token(world):
    api = Api.session(world.operator, enforce_csrf_checks=True)
    response = api.post(comments_path(world), COMMENT)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert not world.answer("1").comments.exists()


def test_it_accepts_a_session_post_with_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.operator)
    client.get("/masuk/")  # any page with a form sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    api = Api(client, {"X-CSRFToken": csrf})
    assert api.post(comments_path(world), COMMENT).status_code == 201


def test_it_lets_a_session_read_without_csrf(world):
    api = Api.session(world.operator, enforce_csrf_checks=True)
    assert api.get(f"/periods/{world.period.pk}").status_code == 200


def test_it_answers_401_without_credentials_even_on_unsafe_methods(world):
    api = Api(Client(enforce_csrf_checks=True))
    for response in (api.get("/periods"), api.post(comments_path(world), COMMENT)):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_it_answers_401_to_an_unknown_or_malformed_token(world):
    for secret in ("monev_not-a-real-token", "something-else"):
        response = Api.with_secret(secret).get("/periods")
        assert response.status_code == 401


def test_it_stops_accepting_a_token_once_revoked(world):
    token, secret = services.token_create(actor=world.koordinator, name="skrip")
    api = Api.with_secret(secret)
    assert api.get("/me").status_code == 200
    services.token_revoke(actor=world.koordinator, token_id=token.pk)
    assert api.get("/me").status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(world):
    _token, secret = services.token_create(actor=world.operator, name="skrip")
    world.operator.is_active = False
    world.operator.save()
    assert Api.with_secret(secret).get("/me").status_code == 401


def test_it_records_when_a_token_was_last_used(world):
    token, secret = services.token_create(actor=world.koordinator, name="skrip")
    assert token.last_used_at is None
    Api.with_secret(secret).get("/me")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    # Within a minute the time is not written again (reads stay reads) ...
    Api.with_secret(secret).get("/me")
    token.refresh_from_db()
    assert token.last_used_at == first_use
    # ... after it, it is.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=5))
    Api.with_secret(secret).get("/me")
    token.refresh_from_db()
    assert token.last_used_at > first_use - timedelta(minutes=1)
    assert token.last_used_at <= timezone.now()


def test_it_acts_as_the_token_holder_not_the_session(world):
    # A browser signed in as pimpinan sending the operator's token acts as the operator.
    client = Client()
    client.force_login(world.pimpinan)
    _token, secret = services.token_create(actor=world.operator, name="skrip")
    api = Api(client, {"Authorization": f"Bearer {secret}"})
    assert api.get("/me").json()["username"] == "operator"
