"""`monev token create|list|revoke USERNAME`: tokens from the server's shell."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from api_support import Api
from monev.accounts.models import ApiToken


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_a_secret_that_authenticates(world):
    out, err = run("create", "operator", "--name", "integrasi")
    secret = out.strip()
    assert secret.startswith("monev_") and "\n" not in secret
    assert "not shown again" in err
    token = ApiToken.objects.get(user=world.operator)
    assert token.name == "integrasi"
    assert token.key_hash == ApiToken.hash_key(secret)  # only the hash is stored
    assert Api.with_secret(secret).ok("get", "/me")["username"] == "operator"


def test_it_gives_a_default_name(world):
    run("create", "operator")
    assert ApiToken.objects.get(user=world.operator).name == "monev token"


def test_it_lists_tokens_without_their_secrets(world):
    secret = run("create", "operator", "--name", "integrasi")[0].strip()
    out, _err = run("list", "operator")
    assert "integrasi" in out and "active" in out
    assert secret not in out
    assert "no tokens" in run("list", "koordinator")[0]


def test_it_revokes_a_token_so_it_stops_working(world):
    secret = run("create", "operator")[0].strip()
    token = ApiToken.objects.get(user=world.operator)
    out, _err = run("revoke", "operator", str(token.pk))
    assert "revoked" in out
    assert Api.with_secret(secret).get("/me").status_code == 401
    assert "revoked" in run("list", "operator")[0]


def test_it_refuses_an_unknown_user_or_another_users_token(world):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("create", "nobody")
    run("create", "operator")
    token = ApiToken.objects.get(user=world.operator)
    with pytest.raises(CommandError, match=r"not found|tidak ditemukan"):
        run("revoke", "koordinator", str(token.pk))
    with pytest.raises(CommandError):
        run("create", "operator", "--name", "  ")


def test_it_lists_how_each_token_was_created(world):
    run("create", "operator", "--name", "integrasi")
    out, _err = run("list", "operator")
    assert "ORIGIN" in out
    assert "command" in next(line for line in out.splitlines() if "integrasi" in line)
