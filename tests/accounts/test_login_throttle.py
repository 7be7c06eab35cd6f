"""Password sign-in is throttled (django-axes): after too many wrong passwords for one username
from one address, that pair is locked out for a while; API tokens and SSO are not affected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from api_support import Api
from monev.accounts.throttle import client_ip

LIMIT = 5  # the default MONEV_LOGIN_FAILURE_LIMIT
ADDRESS_LIMIT = 50  # the default MONEV_LOGIN_ADDRESS_FAILURE_LIMIT


def sign_in(client, username: str, password: str, **extra):
    return client.post("/masuk/", {"username": username, "password": password}, **extra)


def fail(client, username: str, times: int, **extra):
    return [sign_in(client, username, "wrong-password", **extra) for _ in range(times)]


@pytest.fixture(autouse=True)
def throttled(settings):
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.MONEV_LOGIN_ADDRESS_FAILURE_LIMIT == ADDRESS_LIMIT


def test_wrong_passwords_below_the_limit_only_show_the_form_again(client, world):
    responses = fail(client, "operator", LIMIT - 1)

    assert [r.status_code for r in responses] == [200] * (LIMIT - 1)
    assert "Nama pengguna atau kata sandi salah." in responses[-1].content.decode()


def test_the_limit_locks_the_username_from_this_address_with_a_page_in_indonesian(
    client, world, password
):
    *_, last = fail(client, "operator", LIMIT)

    assert last.status_code == 429
    page = last.content.decode()
    assert "Akses masuk dikunci" in page
    assert "setelah 5 kali kata sandi salah" in page
    assert "Coba lagi dalam 15 menit" in page
    assert '<html lang="id">' in page  # the site's own page, in its language

    # Locked out: even the right password does not sign in now.
    right = sign_in(client, "operator", password)
    assert right.status_code == 429
    assert not get_user(client).is_authenticated


def test_the_lockout_page_is_in_english_for_english_users(client, world):
    client.cookies["django_language"] = "en"
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})

    *_, last = fail(client, "operator", LIMIT)

    assert last.status_code == 429
    assert "Sign-in locked" in last.content.decode()
    assert "Try again in 15 minutes" in last.content.decode()


def test_other_usernames_and_other_addresses_are_not_locked(world, password):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    fail(attacker, "operator", LIMIT)

    colleague = Client(REMOTE_ADDR="203.0.113.9")  # same office address, another account
    assert sign_in(colleague, "koordinator", password).status_code == 302
    owner = Client(REMOTE_ADDR="198.51.100.20")  # the account's owner, elsewhere
    assert sign_in(owner, "operator", password).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, world, password):
    fail(client, "operator", LIMIT - 1)
    assert sign_in(client, "operator", password).status_code == 302
    client.logout()

    responses = fail(client, "operator", LIMIT - 1)

    assert [r.status_code for r in responses] == [200] * (LIMIT - 1)
    assert sign_in(client, "operator", password).status_code == 302


def test_after_the_cool_off_the_right_password_works_again(client, world, password):
    fail(client, "operator", LIMIT)
    locked_at = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=locked_at - timedelta(minutes=16))

    response = sign_in(client, "operator", password)

    assert response.status_code == 302
    assert get_user(client) == world.operator


def test_an_administrator_can_lift_the_lock(client, world, password):
    fail(client, "operator", LIMIT)

    call_command("axes_reset_username", "operator")

    assert sign_in(client, "operator", password).status_code == 302


def test_api_tokens_are_not_affected_by_a_lockout(client, world):
    fail(client, "koordinator", LIMIT)
    api = Api.token(world.koordinator)

    response = api.get("/periods")

    assert response.status_code == 200


def test_the_admin_sign_in_is_throttled_too(world):
    client = Client()
    responses = [
        client.post("/admin/login/", {"username": "admin", "password": "wrong-password"})
        for _ in range(LIMIT)
    ]

    assert responses[-1].status_code == 429


def test_the_address_behind_reverse_proxies_is_the_one_the_outermost_proxy_saw(settings):
    factory = RequestFactory()
    request = factory.post(
        "/masuk/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.1",
    )
    settings.MONEV_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the header is ignored
    settings.MONEV_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.1"
    settings.MONEV_PROXY_COUNT = 2
    assert client_ip(request) == "198.51.100.7"  # not the forgeable left-most entry


def spray(client, count: int, start: int = 0):
    """One wrong password for each of `count` usernames: password spraying."""
    return [sign_in(client, f"pegawai{n}", "Rahasia2025!") for n in range(start, start + count)]


def test_spraying_many_usernames_from_one_address_locks_that_address(world, password):
    attacker = Client(REMOTE_ADDR="203.0.113.9")

    responses = spray(attacker, ADDRESS_LIMIT)

    assert [r.status_code for r in responses[:-1]] == [200] * (ADDRESS_LIMIT - 1)
    assert responses[-1].status_code == 429
    assert "Akses masuk dari alamat Anda dikunci" in responses[-1].content.decode()
    # Every account from that address waits now, even with the right password ...
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "koordinator", password).status_code == 429
    # ... but not from elsewhere.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.20"), "koordinator", password).status_code == 302


def test_a_sign_in_that_succeeds_does_not_reset_the_count_of_its_address(world, password):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    spray(attacker, ADDRESS_LIMIT - 1)
    # The attacker's own account: resets its own failures, not the address's.
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "operator", password).status_code == 302

    assert spray(attacker, 1, start=ADDRESS_LIMIT)[0].status_code == 429


def test_an_office_behind_one_address_is_not_locked_by_a_few_colleagues_typos(world, password):
    office = "198.51.100.30"
    for name in ("asesor_internal", "pimpinan", "operator_b", "asesor_eksternal"):
        fail(Client(REMOTE_ADDR=office), name, LIMIT)  # each locks only their own account

    assert sign_in(Client(REMOTE_ADDR=office), "koordinator", password).status_code == 302


def test_the_address_lock_lifts_after_the_cool_off(world, password):
    spray(Client(REMOTE_ADDR="203.0.113.9"), ADDRESS_LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "koordinator", password).status_code == 302


def test_an_administrator_can_lift_the_address_lock(world, password):
    spray(Client(REMOTE_ADDR="203.0.113.9"), ADDRESS_LIMIT)

    call_command("axes_reset_ip", "203.0.113.9")

    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "koordinator", password).status_code == 302
