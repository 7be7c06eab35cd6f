"""The caller's own tokens and memberships through /api/v1/tokens and /api/v1/me."""

from __future__ import annotations

from api_support import Api
from monev.accounts import services
from monev.accounts.models import ApiToken
from monev.audit.models import AuditEvent


def test_it_creates_a_token_and_shows_its_secret_only_once(world):
    api = Api.session(world.operator)
    created = api.ok("post", "/tokens", {"name": "laporan-bulanan"}, status=201)
    assert created["secret"].startswith("monev_")
    assert created["prefix"] == created["secret"][:12]
    assert (created["name"], created["active"]) == ("laporan-bulanan", True)
    listed = api.ok("get", "/tokens")
    assert [t["id"] for t in listed] == [created["id"]]
    assert "secret" not in listed[0]
    assert created["secret"] not in str(api.get("/tokens").content)
    # The new secret works at once.
    assert Api.with_secret(created["secret"]).ok("get", "/me")["username"] == "operator"


def test_it_refuses_a_token_without_a_name(world):
    response = Api.session(world.operator).post("/tokens", {"name": ""})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token_and_keeps_it_listed(world):
    token, secret = services.token_create(actor=world.operator, name="skrip")
    api = Api.session(world.operator)
    revoked = api.ok("delete", f"/tokens/{token.pk}")
    assert revoked["active"] is False and revoked["revoked_at"]
    assert api.ok("get", "/tokens")[0]["active"] is False
    assert Api.with_secret(secret).get("/me").status_code == 401
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()


def test_it_lets_a_token_revoke_itself(world):
    token, secret = services.token_create(actor=world.operator, name="skrip")
    api = Api.with_secret(secret)
    assert api.delete(f"/tokens/{token.pk}").status_code == 200
    assert api.get("/tokens").status_code == 401


def test_it_hides_other_peoples_tokens(world):
    token, _secret = services.token_create(actor=world.koordinator, name="skrip")
    api = Api.session(world.operator)
    assert api.ok("get", "/tokens") == []
    assert api.delete(f"/tokens/{token.pk}").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_tells_the_caller_who_they_are_and_where_they_belong(world):
    data = Api.token(world.operator).ok("get", "/me")
    assert (data["username"], data["display_name"]) == ("operator", "Operator")
    (membership,) = data["memberships"]
    assert membership["role"] == "operator"
    assert membership["institution"]["code"] == "kota-contoh"
    assert membership["unit"]["code"] == "A"
    assert Api.session(world.koordinator).ok("get", "/me")["memberships"][0]["unit"] is None


def test_a_token_cannot_create_tokens(world):
    # A leaked token must not be able to mint successors that outlive its revocation.
    token, secret = services.token_create(actor=world.operator, name="skrip")
    response = Api.with_secret(secret).post("/tokens", {"name": "anak"})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "session_required"
    assert "/akun/token/" in error["message"] and "monev token" in error["message"]
    assert list(ApiToken.objects.filter(user=world.operator)) == [token]
    assert not AuditEvent.objects.filter(action="token.create", after__name="anak").exists()


def test_a_session_with_a_token_header_cannot_create_tokens_either(world):
    # The token decides who calls (test_api_auth): so it also decides that this is a token call.
    _token, secret = services.token_create(actor=world.operator, name="skrip")
    api = Api.session(world.operator)
    api.headers = {"Authorization": f"Bearer {secret}"}
    assert api.post("/tokens", {"name": "anak"}).status_code == 403


def test_it_says_how_each_token_was_created(world):
    services.token_create(actor=world.operator, name="lama")  # made before origins were kept
    api = Api.session(world.operator)
    created = api.ok("post", "/tokens", {"name": "lewat-api"}, status=201)
    assert created["origin"] == "api"
    origins = {t["name"]: t["origin"] for t in api.ok("get", "/tokens")}
    assert origins == {"lewat-api": "api", "lama": "unknown"}
