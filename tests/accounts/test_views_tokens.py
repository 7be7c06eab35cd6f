"""The personal API tokens page (/akun/token/): list, create (the secret shown once), revoke
after a confirmation; one person never sees or revokes another's tokens."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from monev.accounts import services
from monev.accounts.models import ApiToken

TOKENS = "/akun/token/"


@pytest.fixture
def client_of(world):
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def test_the_page_lists_my_tokens_with_prefix_and_state(world, client_of):
    active, _ = services.token_create(actor=world.koordinator, name="laporan-bulanan")
    revoked, _ = services.token_create(actor=world.koordinator, name="lama")
    services.token_revoke(actor=world.koordinator, token_id=revoked.pk)
    services.token_create(actor=world.operator, name="punya-operator")
    response = client_of(world.koordinator).get(TOKENS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "laporan-bulanan" in html and active.key_prefix in html
    assert "lama" in html
    assert "punya-operator" not in html
    assert reverse("accounts:token_revoke", args=[active.pk]) in html
    assert reverse("accounts:token_revoke", args=[revoked.pk]) not in html


def test_the_header_links_to_the_tokens_page(world, client_of):
    response = client_of(world.operator).get(reverse("evaluations:periods"))
    assert f'href="{TOKENS}"' in response.content.decode()


def test_the_list_takes_the_same_queries_however_many_tokens(
    world, client_of, django_assert_num_queries
):
    client = client_of(world.koordinator)
    client.get(TOKENS)  # warm up (session, translations)
    with django_assert_num_queries(3) as few:
        client.get(TOKENS)
    for n in range(10):
        services.token_create(actor=world.koordinator, name=f"token-{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(TOKENS)


def test_creating_shows_the_secret_once_and_it_works(world, client_of):
    client = client_of(world.koordinator)
    response = client.post(TOKENS, {"name": "dasbor-bappeda"})
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=world.koordinator, name="dasbor-bappeda")
    html = response.content.decode()
    start = html.index('value="monev_') + len('value="')
    secret = html[start : html.index('"', start)]
    assert secret.startswith(token.key_prefix)
    assert ApiToken.hash_key(secret) == token.key_hash
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200 and api.json()["username"] == "koordinator"
    assert secret not in client.get(TOKENS).content.decode()  # never again


def test_creating_without_a_name_explains_and_creates_nothing(world, client_of):
    response = client_of(world.koordinator).post(TOKENS, {"name": "   "})
    assert response.status_code == 422
    assert 'class="field-errors"' in response.content.decode()
    assert not ApiToken.objects.filter(user=world.koordinator).exists()


def test_revoking_asks_first_then_revokes_on_post(world, client_of):
    token, secret = services.token_create(actor=world.koordinator, name="skrip")
    client = client_of(world.koordinator)
    url = reverse("accounts:token_revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "skrip" in confirm.content.decode() and "csrfmiddlewaretoken" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401


def test_revoking_needs_the_csrf_token(world):
    token, _ = services.token_create(actor=world.koordinator, name="skrip")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.koordinator)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_one_person_cannot_see_or_revoke_anothers_token(world, client_of, method):
    token, _ = services.token_create(actor=world.operator, name="milik-operator")
    response = getattr(client_of(world.koordinator), method)(
        reverse("accounts:token_revoke", args=[token.pk])
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_needs_a_sign_in(db):
    response = Client().get(TOKENS)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def row_of(html: str, name: str) -> str:
    start = html.index(f'<th scope="row">{name}</th>')
    return html[start : html.index("</tr>", start)]


def test_the_page_shows_how_each_token_was_created(world, client_of):
    services.token_create(actor=world.koordinator, name="lama")  # before origins were kept
    client = client_of(world.koordinator)
    client.cookies["django_language"] = "en"
    assert client.post(TOKENS, {"name": "dari-halaman"}).status_code == 201
    call_command(
        "token",
        "create",
        "koordinator",
        "--name",
        "dari-perintah",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    api = Client()
    api.force_login(world.koordinator)
    created = api.post("/api/v1/tokens", {"name": "dari-api"}, content_type="application/json")
    assert created.status_code == 201

    html = client.get(TOKENS).content.decode()

    assert "Created with" in html
    assert "on this page" in row_of(html, "dari-halaman")
    assert "monev token" in row_of(html, "dari-perintah")
    assert "API, signed in" in row_of(html, "dari-api")
    assert "not recorded" in row_of(html, "lama")
